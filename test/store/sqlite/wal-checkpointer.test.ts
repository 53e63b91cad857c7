/** WalCheckpointer on a real WAL-mode file, with a second connection writing as the serving one does. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { WalCheckpointer } from '../../../src/store/sqlite/wal-checkpointer.js';
import { tempDir } from '../../helpers/temp-dir.js';

const cleanup: (() => void)[] = [];
afterEach(() => { for (const fn of cleanup.splice(0).reverse()) fn(); });

function connections() {
  const dir = tempDir();
  const file = join(dir.path, 'test.db');
  const writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  writer.pragma('wal_autocheckpoint = 0'); // so that only the checkpointer copies frames
  writer.exec('CREATE TABLE t (v TEXT NOT NULL)');
  const background = new Database(file);
  cleanup.push(() => { writer.close(); background.close(); dir.remove(); });
  const insert = writer.prepare('INSERT INTO t (v) VALUES (?)');
  /** `n` transactions of one 2 KB row each (a WAL frame or more apiece). */
  const commit = (n: number) => { for (let i = 0; i < n; i++) insert.run('x'.repeat(2000)); };
  /** Frames in the WAL now, read without copying any (FULL would; PASSIVE on a reader-free WAL copies all). */
  const walFrames = () => (background.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;
  return { writer, background, commit, walFrames };
}

describe('WalCheckpointer', () => {
  it('copies what other connections committed, so that the WAL starts over at the next write', () => {
    const { background, commit, walFrames } = connections();
    const checkpointer = new WalCheckpointer(background);
    checkpointer.round(); // first look: records the data version
    commit(200);
    expect(checkpointer.round()).toBeGreaterThan(0);
    commit(1);
    // Had nothing been copied, the WAL would still hold the 200 transactions' frames.
    expect(walFrames()).toBeLessThan(10);
  });

  it('does nothing while no other connection has committed', () => {
    const { background, commit } = connections();
    const checkpointer = new WalCheckpointer(background);
    commit(5);
    expect(checkpointer.round()).toBeGreaterThan(0);
    expect(checkpointer.round()).toBe(0);
    background.exec('INSERT INTO t (v) VALUES (\'own write\')'); // its own commits are left to its autocheckpoint
    expect(checkpointer.round()).toBe(0);
    commit(1);
    expect(checkpointer.round()).toBeGreaterThan(0);
  });

  it('keeps the WAL short while another connection writes without pause', async () => {
    const { background, commit, walFrames } = connections();
    const checkpointer = new WalCheckpointer(background, 5);
    const errors: unknown[] = [];
    checkpointer.start((err) => errors.push(err));
    // 2,000 transactions, yielding between bursts as the event loop does between group commits.
    for (let burst = 0; burst < 100; burst++) {
      commit(20);
      await new Promise((r) => setTimeout(r, 2));
    }
    checkpointer.stop();
    expect(errors).toEqual([]);
    commit(1);
    expect(walFrames()).toBeLessThan(500);
  });
});
