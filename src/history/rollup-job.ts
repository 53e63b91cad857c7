/**
 * Runs the store's history maintenance in the background: batch after batch
 * while work is waiting (yielding to ingest between batches), then a nap.
 * Progress lives in the database, so after downtime the job simply catches
 * up, and several processes may run it side by side.
 */
import type { Store } from '../store/store.js';

/** Where the job's log lines go: a pino logger fits, and so does the rollup thread's relay. */
export type RollupLog = Record<'error' | 'debug', (data: Record<string, unknown>, msg: string) => void>;

export interface RollupJobOptions {
  /** Pause between rounds once caught up, ms. */
  idleMs?: number;
  /** Clock, replaceable in tests. */
  now?: () => number;
  /** Pause after a batch, as a multiple of the batch's own duration (default 2). */
  yieldFactor?: number;
  log?: RollupLog;
}

export class RollupJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly idleMs: number;
  private readonly now: () => number;
  private readonly yieldFactor: number;

  constructor(private readonly store: Store, private readonly options: RollupJobOptions = {}) {
    this.idleMs = options.idleMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.yieldFactor = options.yieldFactor ?? 2;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops scheduling and waits for the batch in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs batches until nothing is waiting; returns how many ran. */
  async runUntilIdle(): Promise<number> {
    let batches = 0;
    for (;;) {
      if (this.stopped) break;
      const started = performance.now();
      if (!(await this.store.historyMaintenance(this.now()))) break;
      batches++;
      // Background work shares the event loop with ingest and reads: after each batch, pause
      // for `yieldFactor` times as long as it took, so catching up takes at most a third of
      // the loop (by default) and requests never queue behind back-to-back batches.
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, (performance.now() - started) * this.yieldFactor)));
    }
    return batches;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runUntilIdle().then(
        (batches) => { if (batches > 0) this.options.log?.debug({ batches }, 'history rollup caught up'); },
        (err: unknown) => { this.options.log?.error({ err }, 'history rollup failed'); },
      ).finally(() => {
        this.running = undefined;
        this.schedule(this.idleMs);
      });
    }, delay);
    this.timer.unref();
  }
}
