import type Database from 'better-sqlite3';

interface Pending<R> {
  work: () => R;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive in the same event-loop turn share one
 * transaction. Each write runs in its own savepoint, so one failing write is
 * rejected alone while the others commit. Promises resolve only after COMMIT
 * and then `durable()` (the WAL flush, see wal-sync.ts) have finished, which
 * is what lets a route acknowledge a report only once it is on disk.
 */
export class GroupCommit {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;
  private unsettled = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly onCommit: () => void,
    private readonly durable: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Queues `work` to run inside the next group transaction. */
  run<R>(work: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ work, resolve, reject } as Pending<unknown>);
      this.unsettled++;
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once everything queued so far is committed and durable. */
  drain(): Promise<void> {
    return this.unsettled === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    const results: { ok: boolean; value: unknown }[] = [];
    try {
      this.db.transaction(() => {
        for (const item of batch) {
          try {
            results.push({ ok: true, value: this.db.transaction(item.work)() });
          } catch (error) {
            results.push({ ok: false, value: error });
          }
        }
      }).immediate();
    } catch (error) {
      this.settle(batch, batch.map(() => ({ ok: false, value: error })));
      return;
    }
    this.onCommit();
    this.durable().then(
      () => this.settle(batch, results),
      (error: unknown) => this.settle(batch, batch.map(() => ({ ok: false, value: error }))),
    );
  }

  private settle(batch: Pending<unknown>[], results: { ok: boolean; value: unknown }[]): void {
    batch.forEach((item, i) => {
      const result = results[i]!;
      if (result.ok) item.resolve(result.value);
      else item.reject(result.value);
    });
    this.unsettled -= batch.length;
    if (this.unsettled === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
