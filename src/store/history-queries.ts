/**
 * Limits on history queries that every backend applies: how many run at
 * once, how many may wait, how long one may run and how large its answer
 * may be. A query beyond them is refused rather than queued without end,
 * so that history readers can never pile up work the server cannot finish.
 */
import { DEFAULT_MAX_CELLS } from '../history/plan.js';

/** How a store runs history queries. */
export interface HistoryQueryLimits {
  /** Queries running at once (for SQLite: threads answering them). */
  concurrency: number;
  /** Queries waiting for one of those; one more is refused with HistoryBusyError. */
  queue: number;
  /** Longest a query may run, ms; it is then stopped and refused with HistoryTimeoutError. */
  timeoutMs: number;
  /** Most values (series × points) one answer may hold; more is a QueryError. */
  maxCells: number;
}

export const DEFAULT_HISTORY_QUERY_LIMITS: HistoryQueryLimits = {
  concurrency: 2,
  queue: 32,
  timeoutMs: 30_000,
  maxCells: DEFAULT_MAX_CELLS,
};

/** Every query slot and queue place is taken; the caller may retry shortly. */
export class HistoryBusyError extends Error {
  constructor(readonly limits: Pick<HistoryQueryLimits, 'concurrency' | 'queue'>) {
    super(`Too many history queries: ${limits.concurrency} running and ${limits.queue} waiting; retry shortly`);
  }
}

/** A query ran past its time limit and was stopped. */
export class HistoryTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(
      `The history query took longer than ${timeoutMs / 1000} s and was stopped; ask for a shorter range, a larger step or fewer hosts`,
    );
  }
}

/**
 * Runs at most `concurrency` tasks at once, with at most `queue` waiting in
 * order; beyond that, refuses. A waiting task whose signal aborts leaves the
 * queue and rejects with the signal's reason.
 */
export class QueryGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: Pick<HistoryQueryLimits, 'concurrency' | 'queue'>) {}

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.running < this.limits.concurrency) this.running++;
    else if (this.waiting.length < this.limits.queue) await this.wait(signal);
    else throw new HistoryBusyError(this.limits);
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line, so `running` never drops while one waits.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Tasks running and waiting now. */
  load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const turn = (): void => {
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      const leave = (): void => {
        this.waiting.splice(this.waiting.indexOf(turn), 1);
        reject(signal!.reason);
      };
      this.waiting.push(turn);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }
}
