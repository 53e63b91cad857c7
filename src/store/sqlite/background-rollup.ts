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

/** How the thread is started and, after an unexpected exit, started again. */
export interface BackgroundRollupOptions {
  /** Wait before the first restart, ms (default 5 s); each failed restart doubles it, up to a minute. */
  restartDelayMs?: number;
  /** Creates the thread (default: the built rollup-thread.js); replaceable in tests. */
  createWorker?: (init: RollupThreadInit) => Worker;
  /** How long stop() waits for the thread to end by itself before ending it, ms (default 10 s). */
  stopGraceMs?: number;
}

const MAX_RESTART_DELAY_MS = 60_000;

export class BackgroundRollup {
  private worker: Worker;
  private stopping: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private restartDelayMs: number;

  private constructor(
    worker: Worker,
    private readonly spawn: () => Promise<Worker>,
    private readonly log: RollupLog,
    private readonly firstRestartDelayMs: number,
    private readonly stopGraceMs: number,
  ) {
    this.worker = worker;
    this.restartDelayMs = firstRestartDelayMs;
    this.watch(worker);
  }

  /** Starts the thread and resolves once its connection is open. */
  static async start(init: RollupThreadInit, log: RollupLog, options: BackgroundRollupOptions = {}): Promise<BackgroundRollup> {
    const create = options.createWorker ?? ((data: RollupThreadInit) => threadWorker('rollup-thread', data));
    const spawn = (): Promise<Worker> => startThread(create(init), log);
    return new BackgroundRollup(await spawn(), spawn, log, options.restartDelayMs ?? 5_000, options.stopGraceMs ?? 10_000);
  }

  /**
   * Lets the batch in progress finish, closes the thread's connection and
   * ends the thread. A thread still running after the grace period is ended
   * all the same, so that a shutdown finishes: a batch it had not committed is
   * rolled back by SQLite, and rollup redoes it on the next start (batches
   * are idempotent, see history-rollup.ts).
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.restartTimer);
      await this.restarting; // a thread that is starting is stopped like the running one
      const worker = this.worker;
      if (worker.threadId === -1) return; // already exited
      await new Promise<void>((resolve) => {
        const overdue = setTimeout(() => {
          this.log.error({ graceMs: this.stopGraceMs }, 'history rollup thread did not stop in time; ending it');
          void worker.terminate();
        }, this.stopGraceMs);
        worker.once('exit', () => { clearTimeout(overdue); resolve(); });
        worker.postMessage('stop');
      });
    })();
    return this.stopping;
  }

  /**
   * A thread that ends without being asked to is started again: without it
   * history would stop rolling up and old rows would no longer be dropped.
   */
  private watch(worker: Worker): void {
    worker.once('exit', (code) => {
      if (this.stopping) return;
      this.log.error({ code, restartInMs: this.restartDelayMs }, 'history rollup thread ended unexpectedly; starting it again');
      this.scheduleRestart();
    });
  }

  private restart(): void {
    this.restarting = this.spawn().then(
      (worker) => {
        this.worker = worker;
        if (this.stopping) return; // stop() ends it once this has settled
        this.restartDelayMs = this.firstRestartDelayMs;
        this.watch(worker);
      },
      (err: unknown) => {
        this.restartDelayMs = Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
        this.log.error({ err, restartInMs: this.restartDelayMs }, 'history rollup thread did not start; trying again');
        if (!this.stopping) this.scheduleRestart();
      },
    ).finally(() => { this.restarting = undefined; });
  }

  private scheduleRestart(): void {
    this.restartTimer = setTimeout(() => this.restart(), this.restartDelayMs);
    this.restartTimer.unref();
  }
}

/** Relays the thread's log lines and resolves once it reports ready (rejects if it exits first). */
async function startThread(worker: Worker, log: RollupLog): Promise<Worker> {
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
  return worker;
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
