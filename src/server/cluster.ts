/**
 * WORKERS=N: the primary forks N server processes that share the port (the
 * kernel spreads connections). They share one database, so each answers with
 * the same data. The primary restarts a worker that dies unexpectedly and
 * forwards SIGTERM/SIGINT for a graceful stop.
 */
import cluster from 'node:cluster';
import type { Logger } from 'pino';

export function runPrimary(workers: number, log: Logger): void {
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < workers; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log.error({ worker: worker.process.pid, code, signal }, 'worker died; starting a new one');
    setTimeout(fork, 1000).unref();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), 30_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
