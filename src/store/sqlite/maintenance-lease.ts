/**
 * Which of the processes sharing a database runs history maintenance: the
 * one holding the lease row. The holder renews it well before it expires;
 * when the holder dies, its lease runs out and another process takes it.
 * Maintenance batches are idempotent, so the moments around a hand-over,
 * when two threads may briefly both run, change nothing; the lease only
 * keeps N workers from doing the same work N times over.
 *
 * The statements run on the serving connection without waiting for the
 * write lock (the event loop must not sleep on it): a try that finds the
 * lock taken changes nothing and the next renewal tries again.
 */
import type Database from 'better-sqlite3';

export class MaintenanceLease {
  private readonly stmt;
  /** Until when this process holds the lease, as far as it knows (ms, its clock); 0 when it does not. */
  private heldUntil = 0;

  constructor(
    private readonly db: Database.Database,
    /** This process's name in the lease row. */
    readonly holder: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.stmt = {
      take: db.prepare<{ holder: string; now: number; expiresAt: number }>(`
        INSERT INTO maintenance_lease (id, holder, expires_at) VALUES (1, @holder, @expiresAt)
        ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE maintenance_lease.holder = excluded.holder OR maintenance_lease.expires_at <= @now`),
      release: db.prepare<[string]>('DELETE FROM maintenance_lease WHERE id = 1 AND holder = ?'),
    };
  }

  /** Takes the lease, or renews it; true while this process holds it. */
  hold(): boolean {
    const now = this.now();
    const taken = this.withoutWaiting(
      () => this.stmt.take.run({ holder: this.holder, now, expiresAt: now + this.ttlMs }).changes > 0,
    );
    if (taken !== undefined) this.heldUntil = taken ? now + this.ttlMs : 0;
    if (this.heldUntil <= now) this.heldUntil = 0;
    return this.heldUntil > 0;
  }

  /** Gives the lease up, so that another process need not wait for it to expire. */
  release(): void {
    this.heldUntil = 0;
    this.withoutWaiting(() => this.stmt.release.run(this.holder));
  }

  /** Runs one autocommit statement if the write lock is free now; undefined when it was taken. */
  private withoutWaiting<R>(statement: () => R): R | undefined {
    const busyTimeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      return statement();
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return undefined;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  }
}
