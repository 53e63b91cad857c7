/**
 * Durability without blocking the event loop. The SQLite connection runs
 * with synchronous=NORMAL, so COMMIT writes the WAL frames (to the OS page
 * cache) but does not wait for the disk. `sync()` then runs fdatasync on the
 * WAL file on libuv's thread pool; the event loop keeps parsing requests
 * meanwhile, and every commit that happened while a flush was running shares
 * the next flush (group commit at the disk, not only in the transaction).
 *
 * Why this is as durable as synchronous=FULL: a WAL transaction is durable
 * once its frames, including the commit frame, are on stable storage, which is
 * what fdatasync of the WAL guarantees; checkpoints under NORMAL still sync the
 * WAL before and the database after copying, so the WAL is never reset over
 * frames the database file does not yet hold.
 */
import { closeSync, fdatasync, openSync } from 'node:fs';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WalSync {
  private fd: number | undefined;
  private flushing = false;
  private waiting: Waiter[] = [];

  constructor(private readonly walPath: string) {}

  /** Resolves once everything already written to the WAL is on stable storage. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      // A flush already running may have started before our frames were written: wait for the next one.
      if (!this.flushing) this.flush();
    });
  }

  /** Closes the file descriptor once no flush is running. */
  close(): void {
    if (this.fd !== undefined && !this.flushing) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.flushing = true;
    try {
      this.fd ??= openSync(this.walPath, 'r+');
    } catch (error) {
      this.finish(batch, error);
      return;
    }
    fdatasync(this.fd, (error) => this.finish(batch, error ?? undefined));
  }

  private finish(batch: Waiter[], error: unknown): void {
    this.flushing = false;
    for (const waiter of batch) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
    if (this.waiting.length > 0) this.flush();
  }
}
