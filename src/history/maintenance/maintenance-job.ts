/**
 * Runs history maintenance in the background: batch after batch while work
 * is waiting, pausing after each for twice as long as it took (so ingest,
 * which wants the same write lock, always gets its turn), then a nap once
 * caught up. A batch's duration counts any time the process spent frozen
 * (SIGSTOP, a suspended VM) or waiting for the lock, so a pause derived
 * from it could last tens of seconds: it is capped, and every pause ends at
 * once when the job is stopped, so a stop waits for the batch in hand only.
 */
import { WriteLockBusyError } from '../history-port.js';

/** Where maintenance log lines go: a pino logger fits, and so does the maintenance thread's relay. */
export type MaintenanceLog = Record<'error' | 'debug', (data: Record<string, unknown>, msg: string) => void>;

/** One batch of maintenance as of `nowMs`; true while more is waiting. */
export type MaintenanceBatch = (nowMs: number) => boolean | Promise<boolean>;

export interface MaintenanceJobOptions {
  /** Pause between rounds once caught up, ms (default 10 s). */
  idleMs?: number;
  /** Wall clock handed to each batch (default Date.now). */
  now?: () => number;
  /** Monotonic clock that batches are timed with, ms (default performance.now). */
  monotonic?: () => number;
  /** Pause after a batch, as a multiple of the batch's own duration (default 2). */
  yieldFactor?: number;
  /** Longest pause between two batches while work is waiting, ms (default 1 s). */
  maxPauseMs?: number;
  /** Pause before trying again when the write lock was taken, ms (default 50). */
  busyRetryMs?: number;
  log?: MaintenanceLog;
}

export class MaintenanceJob {
  private loop: Promise<void> | undefined;
  private stopped = false;
  /** Ends the pause in progress. */
  private wake: (() => void) | undefined;
  private readonly options: Required<Omit<MaintenanceJobOptions, 'log'>>;

  constructor(
    private readonly batch: MaintenanceBatch,
    private readonly log: MaintenanceLog | undefined = undefined,
    options: MaintenanceJobOptions = {},
  ) {
    this.options = {
      idleMs: 10_000,
      now: Date.now,
      monotonic: () => performance.now(),
      yieldFactor: 2,
      maxPauseMs: 1_000,
      busyRetryMs: 50,
      ...options,
    };
  }

  start(): void {
    this.stopped = false;
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
    });
  }

  /** Ends the pause in progress, waits for the batch in hand, and runs no more. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let batches = 0;
    while (!this.stopped) {
      const started = this.options.monotonic();
      let more = false;
      try {
        more = await this.batch(this.options.now());
      } catch (err) {
        if (err instanceof WriteLockBusyError) {
          await this.pause(this.options.busyRetryMs);
          continue;
        }
        this.log?.error({ err }, 'history maintenance failed');
      }
      if (more) {
        batches++;
        const took = this.options.monotonic() - started;
        await this.pause(Math.min(this.options.maxPauseMs, Math.max(1, took * this.options.yieldFactor)));
        continue;
      }
      if (batches > 0) this.log?.debug({ batches }, 'history maintenance caught up');
      batches = 0;
      await this.pause(this.options.idleMs);
    }
  }

  /** Waits `ms`, or less when stopped meanwhile; the timer never keeps a process alive by itself. */
  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = done;
    });
  }
}
