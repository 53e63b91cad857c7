/**
 * The history dictionaries' caches stay bounded however many distinct
 * process names and layouts a long-lived server meets, and still answer
 * exactly what the database holds.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryDict } from '../../../src/store/sqlite/history-dict.js';
import { migrate } from '../../../src/store/sqlite/schema.js';
import { tempDir } from '../../helpers/temp-dir.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function openDb(): Database.Database {
  const dir = tempDir();
  const db = new Database(join(dir.path, 'dict.db'));
  migrate(db);
  cleanup = () => {
    db.close();
    dir.remove();
  };
  return db;
}

describe('history dictionaries', () => {
  it('keeps at most its limit of process names cached, with the ids the database holds', () => {
    const db = openDb();
    const dict = new HistoryDict(db, { layouts: 3, procs: 5 });
    const names = Array.from({ length: 40 }, (_, i) => ({
      user: i % 2 ? 'alice' : 'bob',
      cmd: `python train.py --seed ${i}`,
    }));
    const ids = names.map(({ user, cmd }) => {
      const id = dict.procId(user, cmd);
      expect(dict.cachedEntries().procIds).toBeLessThanOrEqual(5);
      expect(dict.proc(id)).toEqual({ user, cmd });
      expect(dict.cachedEntries().procNames).toBeLessThanOrEqual(5);
      return id;
    });
    expect(new Set(ids).size).toBe(names.length);
    // Asked again, after their entries were dropped: the same ids, as a fresh reader of the database sees them.
    const fresh = new HistoryDict(db);
    names.forEach(({ user, cmd }, i) => {
      expect(dict.procId(user, cmd)).toBe(ids[i]);
      expect(fresh.procId(user, cmd)).toBe(ids[i]);
    });
  });

  it('keeps at most its limit of layouts cached', () => {
    const db = openDb();
    const dict = new HistoryDict(db, { layouts: 3, procs: 5 });
    const layouts = Array.from({ length: 12 }, (_, i) => ['cpu', 'mem', `ctr.cpu:job-${i}`]);
    const ids = layouts.map((keys) => {
      const id = dict.layoutId(keys);
      expect(dict.layout(id)).toEqual(keys);
      const cached = dict.cachedEntries();
      expect(Math.max(cached.layoutIds, cached.layoutKeys)).toBeLessThanOrEqual(3);
      return id;
    });
    layouts.forEach((keys, i) => expect(dict.layoutId(keys)).toBe(ids[i]));
  });

  it('keeps a working set that fits without reading the database again', () => {
    const db = openDb();
    const dict = new HistoryDict(db, { layouts: 3, procs: 5 });
    for (let i = 0; i < 5; i++) dict.procId('carol', `job ${i}`);
    db.prepare('DELETE FROM history_procs').run(); // a cached look-up no longer needs the row
    const before = Array.from({ length: 5 }, (_, i) => dict.procId('carol', `job ${i}`));
    for (let round = 0; round < 3; round++)
      expect(Array.from({ length: 5 }, (_, i) => dict.procId('carol', `job ${i}`))).toEqual(before);
    // A miss would have written the name again.
    expect(db.prepare('SELECT count(*) FROM history_procs').pluck().get()).toBe(0);
  });
});
