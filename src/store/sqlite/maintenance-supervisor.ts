/**
 * History maintenance (rollup, compaction, retention) on a thread of its
 * own (maintenance-thread.ts), with its own connection to the database. On the main thread a batch
 * (folding a minute of reports for a few hundred hosts) held the event loop
 * for tens of milliseconds at a time, so requests queued behind it. Here it
 * only takes the write lock, in batches bounded in time, and ingest on the
 * main thread retries without blocking while it is held (group-commit.ts).
 */
import type { Worker } from 'node:worker_threads';
import type { MaintenanceLog } from '../../history/maintenance/maintenance-job.js';
import type { Tier } from '../../history/tiers.js';
import { moduleWorker } from './module-worker.js';

/** What the maintenance thread is started with (workerData). */
export interface MaintenanceThreadInit {
  /** The database file. */
  file: string;
  /** History tiers, raw first. */
  tiers: readonly Tier[];
  /** Pause between rounds once caught up, ms (the job's default when omitted). */
  idleMs?: number;
}

/** A log line from the thread. */
export interface MaintenanceThreadLog {
  level: keyof MaintenanceLog;
  msg: string;
  data: Record<string, unknown>;
}

/** What the thread says besides log lines: ready (with the URL of the module it runs), and stopped. */
export type MaintenanceThreadMessage = { ready: string } | 'stopped';

/** How the thread is started and, after an unexpected exit, started again. */
export interface MaintenanceSupervisorOptions {
  /** Wait before the first restart, ms (default 5 s); each failed restart doubles it, up to a minute. */
  restartDelayMs?: number;
  /** Creates the thread (default: maintenance-thread beside this module); replaceable in tests. */
  createWorker?: (init: MaintenanceThreadInit) => Worker;
  /** How long stop() waits for the thread to end by itself before ending it, ms (default 10 s): a safety net only. */
  stopGraceMs?: number;
}

const MAX_RESTART_DELAY_MS = 60_000;

export class MaintenanceSupervisor {
  private worker: Worker;
  /** The URL of the module the thread runs, as it reported it. */
  threadUrl: string;
  private stopping: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private restartDelayMs: number;

  private constructor(
    started: { worker: Worker; url: string },
    private readonly spawn: () => Promise<{ worker: Worker; url: string }>,
    private readonly log: MaintenanceLog,
    private readonly firstRestartDelayMs: number,
    private readonly stopGraceMs: number,
  ) {
    this.worker = started.worker;
    this.threadUrl = started.url;
    this.restartDelayMs = firstRestartDelayMs;
    this.watch(started.worker);
  }

  /** Starts the thread and resolves once its connection is open. */
  static async start(
    init: MaintenanceThreadInit,
    log: MaintenanceLog,
    options: MaintenanceSupervisorOptions = {},
  ): Promise<MaintenanceSupervisor> {
    const create =
      options.createWorker ??
      ((workerData: MaintenanceThreadInit) => moduleWorker(import.meta.url, 'maintenance-thread', { workerData }));
    const spawn = () => startThread(create(init), log);
    return new MaintenanceSupervisor(
      await spawn(),
      spawn,
      log,
      options.restartDelayMs ?? 5_000,
      options.stopGraceMs ?? 10_000,
    );
  }

  /**
   * Lets the batch in progress finish, closes the thread's connection and
   * ends the thread, which takes milliseconds: the thread never waits long
   * for the write lock, and a stop cuts its pauses short. Should it still
   * run after the grace period (a bug), it is ended all the same and the
   * error logged: a batch it had not committed is rolled back by SQLite and
   * redone on the next start (batches are idempotent).
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.restartTimer);
      await this.restarting; // a thread that is starting is stopped like the running one
      const worker = this.worker;
      if (worker.threadId === -1) return; // already exited
      await new Promise<void>((resolve) => {
        const overdue = setTimeout(() => {
          this.log.error({ graceMs: this.stopGraceMs }, 'history maintenance thread did not stop in time; ending it');
          void worker.terminate();
        }, this.stopGraceMs);
        worker.once('exit', () => {
          clearTimeout(overdue);
          resolve();
        });
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
      this.log.error(
        { code, restartInMs: this.restartDelayMs },
        'history maintenance thread ended unexpectedly; starting it again',
      );
      this.scheduleRestart();
    });
  }

  private restart(): void {
    this.restarting = this.spawn()
      .then(
        (started) => {
          this.worker = started.worker;
          this.threadUrl = started.url;
          if (this.stopping) return; // stop() ends it once this has settled
          this.restartDelayMs = this.firstRestartDelayMs;
          this.watch(started.worker);
        },
        (err: unknown) => {
          this.restartDelayMs = Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
          this.log.error(
            { err, restartInMs: this.restartDelayMs },
            'history maintenance thread did not start; trying again',
          );
          if (!this.stopping) this.scheduleRestart();
        },
      )
      .finally(() => {
        this.restarting = undefined;
      });
  }

  private scheduleRestart(): void {
    this.restartTimer = setTimeout(() => this.restart(), this.restartDelayMs);
    this.restartTimer.unref();
  }
}

/** Relays the thread's log lines and resolves once it reports ready (rejects if it exits first). */
async function startThread(worker: Worker, log: MaintenanceLog): Promise<{ worker: Worker; url: string }> {
  worker.on('message', (m: MaintenanceThreadLog | MaintenanceThreadMessage) => {
    if (typeof m === 'object' && 'level' in m) log[m.level](m.data, m.msg);
  });
  let failure: Error | undefined;
  worker.on('error', (err) => {
    failure = err;
    log.error({ err }, 'history maintenance thread failed');
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onMessage = (m: unknown): void => {
      if (typeof m !== 'object' || m === null || !('ready' in m)) return;
      worker.off('exit', onExit).off('message', onMessage);
      resolve(String(m.ready));
    };
    const onExit = (code: number): void => {
      reject(
        new Error(
          `history maintenance thread exited during start-up (code ${code})${failure ? `: ${failure.message}` : ''}`,
        ),
      );
    };
    worker.on('message', onMessage).once('exit', onExit);
  });
  return { worker, url };
}
