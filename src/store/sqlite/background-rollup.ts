/**
 * History rollup and retention (and WAL checkpoints, see wal-checkpointer.ts)
 * on a thread of their own, with their own connection to the database. On the main thread a rollup batch (folding a
 * minute of reports for a few hundred hosts) held the event loop for tens of
 * milliseconds at a time, so requests queued behind it. Here it only takes
 * the write lock, in batches bounded in time, and ingest on the main thread
 * retries without blocking while it is held (see group-commit.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RollupLog } from '../../history/rollup-job.js';
import type { Tier } from '../../history/tiers.js';

/** What the rollup thread is started with (workerData). */
export interface RollupThreadInit {
  dataDir: string;
  tiers?: readonly Tier[];
  /** Pause between rounds once caught up, ms (the job's default when omitted). */
  idleMs?: number;
}

/** A log line from the thread. */
export interface RollupThreadLog { level: keyof RollupLog; msg: string; data: Record<string, unknown> }

export class BackgroundRollup {
  private stopping: Promise<void> | undefined;

  private constructor(private readonly worker: Worker) {}

  /** Starts the thread and resolves once its connection is open. */
  static async start(init: RollupThreadInit, log: RollupLog): Promise<BackgroundRollup> {
    const worker = threadWorker('rollup-thread', init);
    worker.on('message', (m: RollupThreadLog | 'ready' | 'stopped') => {
      if (typeof m === 'object') log[m.level](m.data, m.msg);
    });
    let failure: Error | undefined;
    worker.on('error', (err) => { failure = err; log.error({ err }, 'history rollup thread failed'); });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: unknown): void => { if (m === 'ready') { worker.off('exit', onExit); worker.off('message', onMessage); resolve(); } };
      const onExit = (code: number): void => {
        reject(new Error(`history rollup thread exited during start-up (code ${code})${failure ? `: ${failure.message}` : ''}`));
      };
      worker.on('message', onMessage).once('exit', onExit);
    });
    return new BackgroundRollup(worker);
  }

  /** Lets the batch in progress finish, closes the thread's connection and ends the thread. */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      if (this.worker.threadId === -1) { resolve(); return; } // already exited
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('stop');
    });
    return this.stopping;
  }
}

/**
 * A worker running the compiled `name`.js next to this file. Run from the
 * TypeScript sources (tests, tsx), this file sits in src/, and the worker
 * runs the build's copy in dist/ instead: a worker does not inherit the tsx
 * loader. `npm test` builds first, so that copy is current.
 */
function threadWorker(name: string, workerData: unknown): Worker {
  const beside = new URL(`./${name}.js`, import.meta.url);
  const built = new URL(`../../../dist/store/sqlite/${name}.js`, import.meta.url);
  const entry = [beside, built].find((url) => existsSync(fileURLToPath(url)));
  if (!entry) throw new Error(`${fileURLToPath(built)} is missing; run \`npm run build\` first`);
  return new Worker(entry, { workerData });
}
