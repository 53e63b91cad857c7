import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit, type GroupCommitOptions } from '../../../src/store/sqlite/group-commit.js';
import { WalSync } from '../../../src/store/sqlite/wal-sync.js';
import { tempDir } from '../../helpers/temp-dir.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function database() {
  const dir = tempDir();
  dirs.push(dir);
  const db = new Database(join(dir.path, 'test.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v INTEGER NOT NULL)');
  return { db, dir: dir.path };
}

/** A group commit over a fresh table whose writes record which transaction (by onBegin) each ran in. */
function recordingGroup(options: GroupCommitOptions) {
  const { db } = database();
  const transactions: number[][] = [];
  const group = new GroupCommit(db, {
    onBegin: () => {
      transactions.push([]);
    },
    ...options,
  });
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const write = (v: number) =>
    group.run(() => {
      transactions.at(-1)!.push(v);
      insert.run(v);
    });
  return { db, transactions, write };
}

describe('GroupCommit', () => {
  it('commits writes of one event-loop turn in one transaction; a failing write is rejected alone', async () => {
    const { db } = database();
    let commits = 0;
    const group = new GroupCommit(db, {
      onCommit: () => {
        commits++;
      },
    });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const results = await Promise.allSettled([
      group.run(() => insert.run(1).changes),
      group.run(() => {
        insert.run(2);
        throw new Error('bad write');
      }),
      group.run(() => insert.run(3).changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1, 3]);
    expect(commits).toBe(1);
  });

  it('acknowledges a write only after the durability flush finishes', async () => {
    const { db } = database();
    let release!: () => void;
    const group = new GroupCommit(db, {
      durable: () =>
        new Promise<void>((r) => {
          release = r;
        }),
    });
    let acknowledged = false;
    const write = group
      .run(() => db.prepare('INSERT INTO t (v) VALUES (1)').run())
      .then(() => {
        acknowledged = true;
      });
    await new Promise((r) => setTimeout(r, 20));
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1); // committed...
    expect(acknowledged).toBe(false); // ...but not yet acknowledged
    let drained = false;
    const drain = group.drain().then(() => {
      drained = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(drained).toBe(false);
    release();
    await write;
    await drain;
    expect(acknowledged).toBe(true);
  });

  it('gathers the writes that arrive while a batch is being flushed into one next transaction', async () => {
    const { db } = database();
    const releases: (() => void)[] = [];
    const transactions: number[][] = [];
    const group = new GroupCommit(db, {
      onBegin: () => {
        transactions.push([]);
      },
      durable: () => new Promise<void>((r) => releases.push(r)),
    });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const write = (v: number) =>
      group.run(() => {
        transactions.at(-1)!.push(v);
        insert.run(v);
      });
    const turn = () => new Promise((r) => setImmediate(r));
    const first = write(1);
    await turn();
    // Three writes in three turns while the first batch's flush runs.
    const later = [write(2)];
    await turn();
    later.push(write(3));
    await turn();
    later.push(write(4));
    await turn();
    expect(transactions).toEqual([[1]]);
    releases.shift()!();
    await first;
    await turn();
    expect(transactions).toEqual([[1], [2, 3, 4]]);
    releases.shift()!();
    await Promise.all(later);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(4);
  });

  it("waits up to windowMs from a batch's first write for others to share its transaction", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] });
    try {
      const { db, transactions, write } = recordingGroup({ windowMs: 10 });
      const writes = [write(1)];
      await vi.advanceTimersByTimeAsync(6);
      writes.push(write(2)); // 6 ms after the first: same window
      await vi.advanceTimersByTimeAsync(3);
      expect(transactions).toEqual([]);
      await vi.advanceTimersByTimeAsync(2);
      expect(transactions).toEqual([[1, 2]]);
      writes.push(write(3)); // a new window
      await vi.advanceTimersByTimeAsync(11);
      await Promise.all(writes);
      expect(transactions).toEqual([[1, 2], [3]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('begins a batch that reaches fullBatch at once, without waiting out its window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    try {
      const { db, transactions, write } = recordingGroup({ windowMs: 50, fullBatch: 3 });
      const writes = [write(1), write(2)];
      await vi.advanceTimersByTimeAsync(5);
      expect(transactions).toEqual([]); // two of three: still in the window
      writes.push(write(3));
      await vi.advanceTimersByTimeAsync(1);
      expect(transactions).toEqual([[1, 2, 3]]); // full: begun 45 ms before the window's end
      writes.push(write(4));
      await vi.advanceTimersByTimeAsync(49);
      expect(transactions).toEqual([[1, 2, 3]]); // a new batch, a new window
      await vi.advanceTimersByTimeAsync(2);
      await Promise.all(writes);
      expect(transactions).toEqual([[1, 2, 3], [4]]);
      expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the event loop running while another connection holds the write lock, then commits', async () => {
    const { db, dir } = database();
    db.pragma('busy_timeout = 10000'); // what the store sets; the group commit must not sleep in it
    const other = new Database(join(dir, 'test.db'));
    other.exec('BEGIN IMMEDIATE');
    const group = new GroupCommit(db);
    let committed = false;
    const write = group
      .run(() => db.prepare('INSERT INTO t (v) VALUES (7)').run())
      .then(() => {
        committed = true;
      });
    // Timers keep firing on time while the write waits: nothing blocks in SQLite's busy handler.
    const started = performance.now();
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 10));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(committed).toBe(false);
    other.exec('COMMIT');
    await write;
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual([7]);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(10000); // restored after each attempt
    other.close();
  });

  it('gives up with SQLITE_BUSY once the lock has been held elsewhere for longer than the busy timeout', async () => {
    const { db, dir } = database();
    db.pragma('busy_timeout = 100');
    const other = new Database(join(dir, 'test.db'));
    other.exec('BEGIN IMMEDIATE');
    const group = new GroupCommit(db);
    const started = performance.now();
    await expect(group.run(() => db.prepare('INSERT INTO t (v) VALUES (1)').run())).rejects.toMatchObject({
      code: 'SQLITE_BUSY',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    other.exec('ROLLBACK');
    // Once the lock is free again, writes go through.
    await group.run(() => db.prepare('INSERT INTO t (v) VALUES (2)').run());
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual([2]);
    other.close();
  });

  it('tells the owner to drop its caches when a write fails, and retries the others alone', async () => {
    const { db } = database();
    let rollbacks = 0;
    let commits = 0;
    const group = new GroupCommit(db, {
      onCommit: () => {
        commits++;
      },
      onRollback: () => {
        rollbacks++;
      },
    });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const ran: number[] = [];
    const results = await Promise.allSettled([
      group.run(() => {
        ran.push(1);
        return insert.run(1).changes;
      }),
      group.run(() => {
        ran.push(2);
        insert.run(2);
        throw new Error('bad write');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1]);
    expect(ran).toEqual([1, 2, 1, 2]); // the batch ran twice: whole, then write by write
    expect(rollbacks).toBe(2); // the whole batch, then the failed write's savepoint
    expect(commits).toBe(1);
    // A clean batch afterwards takes the fast path again.
    await group.run(() => insert.run(3));
    expect(rollbacks).toBe(2);
  });

  it('runs onBegin first in each transaction and keeps what it wrote when a write of the batch fails', async () => {
    const { db } = database();
    db.exec('CREATE TABLE begins (n INTEGER NOT NULL)');
    const noteBegin = db.prepare('INSERT INTO begins (n) VALUES (1)');
    const begins = () => db.prepare('SELECT count(*) FROM begins').pluck().get();
    const group = new GroupCommit(db, { onBegin: () => noteBegin.run() });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    await Promise.allSettled([
      group.run(() => insert.run(1)),
      group.run(() => {
        insert.run(2);
        throw new Error('bad write');
      }),
    ]);
    // The whole batch (its onBegin included) was rolled back, then ran write by write in a second transaction.
    expect(begins()).toBe(1);
    await Promise.all([group.run(() => insert.run(3)), group.run(() => insert.run(4))]);
    expect(begins()).toBe(2);
  });

  it('rejects every write of the batch when the flush fails', async () => {
    const { db } = database();
    const group = new GroupCommit(db, { durable: () => Promise.reject(new Error('EIO')) });
    await expect(group.run(() => db.prepare('INSERT INTO t (v) VALUES (1)').run())).rejects.toThrow('EIO');
  });
});

describe('WalSync', () => {
  it('flushes an existing WAL and serves overlapping callers', async () => {
    const { dir } = database();
    const wal = join(dir, 'test.db-wal');
    const sync = new WalSync(wal);
    await Promise.all([sync.sync(), sync.sync(), sync.sync()]);
    await sync.sync();
    sync.close();
  });

  it('rejects when the WAL file cannot be opened', async () => {
    const { dir } = database();
    const sync = new WalSync(join(dir, 'missing-dir', 'x-wal'));
    await expect(sync.sync()).rejects.toThrow(/ENOENT/);
    writeFileSync(join(dir, 'ok-wal'), '');
    await expect(new WalSync(join(dir, 'ok-wal')).sync()).resolves.toBeUndefined();
  });
});
