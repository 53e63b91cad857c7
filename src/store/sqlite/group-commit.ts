import type Database from 'better-sqlite3';

interface Pending<R> {
  work: () => R;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

interface Outcome {
  ok: boolean;
  value: unknown;
}

/** How a GroupCommit batches, and what its owner hears of its transactions. */
export interface GroupCommitOptions {
  /**
   * Runs first in every transaction, before the batch's writes, outside any
   * savepoint: what it writes commits with the batch whichever writes fail.
   */
  onBegin?: () => void;
  /** After each COMMIT. */
  onCommit?: () => void;
  /** Resolves once what was committed is durable (the WAL flush, see wal-sync.ts); writes are acknowledged after it. */
  durable?: () => Promise<void>;
  /** After a rollback: drop whatever was cached from the rolled-back writes. */
  onRollback?: () => void;
  /**
   * How long a batch's first write waits for others before the transaction
   * begins, ms (default 0: the next event-loop turn). Counted from its
   * arrival, so time spent waiting for the previous flush counts too.
   */
  windowMs?: number;
  /**
   * A batch that has gathered this many writes begins at once rather than
   * waiting out its window (default: no limit). The window is there to share
   * each transaction's fixed cost; a batch this big already does.
   */
  fullBatch?: number;
}

/** How long to wait before trying again when another connection holds the write lock, ms. */
const RETRY_MS = 1;

/**
 * Group commit: writes that arrive while the previous transaction is being
 * made durable, or in the same event-loop turn, share one transaction.
 * Promises resolve only after COMMIT and then `durable()` (the WAL flush,
 * see wal-sync.ts) have finished, which is what lets a route acknowledge a
 * report only once it is on disk.
 *
 * A new transaction waits for the previous one's flush: its writes could not
 * be acknowledged before that flush ends anyway (the next flush starts after
 * it), and every transaction costs a BEGIN, a COMMIT and WAL frames for the
 * pages all writes share (the change counter, index pages) however few
 * writes it holds. At a steady 1,000 reports/s, one turn holds one or two:
 * hence the window (windowMs), which a full batch (fullBatch) cuts short.
 *
 * The event loop never sleeps on a lock: when another connection (the
 * maintenance thread, another worker process) holds the write lock, the
 * batch is tried again a moment later and grows meanwhile.
 *
 * A batch first runs as one plain transaction: a savepoint per write would
 * make SQLite copy every page a write touches into a sub-journal, which cost
 * more than the write itself. Should any write throw, the whole transaction
 * is rolled back, `onRollback` lets the caller drop what it cached from it,
 * and the batch runs again with each write in its own savepoint, so the
 * failing write is rejected alone while the others commit.
 */
export class GroupCommit {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;
  /** The timer a batch waits on (its window, or a retry of the lock), so that a batch that fills up can begin earlier. */
  private windowTimer: NodeJS.Timeout | undefined;
  /** A committed batch is waiting for durable(); the next one gathers meanwhile. */
  private flushing = false;
  private unsettled = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly stmt;
  /** The connection's own busy timeout, put back after each attempt (it still serves other statements). */
  private readonly busyTimeout: number;
  /** When the current batch first found the lock taken (ms, performance.now()); undefined when not waiting. */
  private waitingSince: number | undefined;
  private readonly options: Required<GroupCommitOptions>;
  /** When the oldest queued write arrived (performance.now()). */
  private firstQueuedAt = 0;

  constructor(
    private readonly db: Database.Database,
    options: GroupCommitOptions = {},
  ) {
    this.options = {
      onBegin: () => {},
      onCommit: () => {},
      durable: () => Promise.resolve(),
      onRollback: () => {},
      windowMs: 0,
      fullBatch: Infinity,
      ...options,
    };
    this.busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
    this.stmt = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
  }

  /** Queues `work` to run inside the next group transaction. */
  run<R>(work: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.queue.length === 0) this.firstQueuedAt = performance.now();
      this.queue.push({ work, resolve, reject } as Pending<unknown>);
      this.unsettled++;
      if (!this.flushing) this.scheduleBatch();
    });
  }

  /** Resolves once everything queued so far is committed and durable. */
  drain(): Promise<void> {
    return this.unsettled === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Schedules the queued writes' transaction for the end of their window, or the next turn once the batch is full. */
  private scheduleBatch(): void {
    const full = this.queue.length >= this.options.fullBatch;
    if (full && this.windowTimer) {
      clearTimeout(this.windowTimer);
      this.windowTimer = undefined;
      this.scheduled = false;
    }
    this.schedule(full ? 0 : Math.max(0, this.firstQueuedAt + this.options.windowMs - performance.now()));
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (delayMs < 1) setImmediate(() => this.flush());
    else this.windowTimer = setTimeout(() => this.flush(), delayMs);
  }

  private flush(): void {
    this.scheduled = false;
    this.windowTimer = undefined;
    let locked: boolean;
    try {
      locked = this.tryBegin();
    } catch (error) {
      this.settleAll(this.takeQueue(), error);
      return;
    }
    if (!locked) {
      // As long as SQLite's own busy timeout would have waited, and no longer.
      this.waitingSince ??= performance.now();
      if (performance.now() - this.waitingSince < this.busyTimeout) {
        this.schedule(RETRY_MS);
        return;
      }
      this.waitingSince = undefined;
      this.settleAll(this.takeQueue(), Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
      return;
    }
    this.waitingSince = undefined;
    const batch = this.takeQueue();
    let results: Outcome[];
    try {
      this.options.onBegin();
      results = batch.map((item) => ({ ok: true, value: item.work() }));
      this.stmt.commit.run();
    } catch {
      if (this.db.inTransaction) this.stmt.rollback.run();
      this.options.onRollback();
      try {
        results = this.oneByOne(batch);
      } catch (error) {
        this.options.onRollback();
        this.settleAll(batch, error);
        return;
      }
    }
    this.options.onCommit();
    this.flushing = true;
    const flushed = (): void => {
      this.flushing = false;
      if (this.queue.length > 0) this.scheduleBatch();
    };
    this.options.durable().then(
      () => {
        flushed();
        this.settle(batch, results);
      },
      (error: unknown) => {
        flushed();
        this.settleAll(batch, error);
      },
    );
  }

  /** BEGIN IMMEDIATE without waiting: false when another connection holds the write lock. */
  private tryBegin(): boolean {
    // Not prepared once: SQLite applies PRAGMA busy_timeout when the statement is compiled, not when it runs.
    this.db.pragma('busy_timeout = 0');
    try {
      this.stmt.begin.run();
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeout}`);
    }
  }

  /** The slow path after a failure: each write in its own savepoint (this one may wait on the lock: it is rare). */
  private oneByOne(batch: Pending<unknown>[]): Outcome[] {
    const results = this.db
      .transaction(() => {
        this.options.onBegin();
        return batch.map((item): Outcome => {
          try {
            return { ok: true, value: this.db.transaction(item.work)() };
          } catch (error) {
            // Some errors (SQLITE_FULL, an I/O error) make SQLite roll back the whole transaction, not just
            // this write's savepoint: the writes before it are gone too, so the whole batch fails with it.
            if (!this.db.inTransaction) throw error;
            return { ok: false, value: error };
          }
        });
      })
      .immediate();
    // Writes rolled back to their savepoint may have cached what they created.
    if (results.some((r) => !r.ok)) this.options.onRollback();
    return results;
  }

  private takeQueue(): Pending<unknown>[] {
    const batch = this.queue;
    this.queue = [];
    return batch;
  }

  private settleAll(batch: Pending<unknown>[], error: unknown): void {
    this.settle(
      batch,
      batch.map(() => ({ ok: false, value: error })),
    );
  }

  private settle(batch: Pending<unknown>[], results: Outcome[]): void {
    batch.forEach((item, i) => {
      const result = results[i]!;
      if (result.ok) item.resolve(result.value);
      else item.reject(result.value);
    });
    this.unsettled -= batch.length;
    if (this.unsettled === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
