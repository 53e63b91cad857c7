import type Database from 'better-sqlite3';

interface Pending<R> {
  work: () => R;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive in the same event-loop turn share one
 * transaction and therefore one fsync. Each write runs in its own savepoint,
 * so one failing write is rejected alone while the others commit. Promises
 * resolve only after COMMIT returns, which is what lets a route acknowledge
 * a report only once it is durable.
 */
export class GroupCommit {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};

  constructor(private readonly db: Database.Database, private readonly onCommit: () => void) {}

  /** Queues `work` to run inside the next group transaction. */
  run<R>(work: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ work, resolve, reject } as Pending<unknown>);
      if (!this.scheduled) {
        this.scheduled = true;
        this.idle = new Promise((done) => { this.markIdle = done; });
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once everything queued so far is committed. */
  drain(): Promise<void> {
    return this.scheduled ? this.idle : Promise.resolve();
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
      for (const item of batch) item.reject(error);
      this.markIdle();
      return;
    }
    this.onCommit();
    batch.forEach((item, i) => {
      const result = results[i]!;
      if (result.ok) item.resolve(result.value);
      else item.reject(result.value);
    });
    this.markIdle();
  }
}
