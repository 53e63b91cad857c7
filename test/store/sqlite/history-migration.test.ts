/** An existing database with history of schema 2 (one float32 row per report and bucket) keeps it through migrations 3 and 4. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { encodeFloats } from '../../../src/history/codec.js';
import { migrate } from '../../../src/store/sqlite/schema.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { cpuReport, maintainAll, T0, T0S } from '../history-helpers.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  while (dirs.length > 0) dirs.pop()!.remove();
});

it('keeps raw reports and buckets of a schema-2 database readable, and compacts them later', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const old = new Database(join(dir.path, 'fleetwatch.db'));
  migrate(old, 2);
  old.prepare("INSERT INTO history_hosts (alias) VALUES ('a')").run();
  old.prepare(`INSERT INTO history_layouts (id, keys) VALUES (1, '["cpu","mem"]')`).run();
  old
    .prepare('INSERT INTO history_raw (host_id, t, layout, vals, procs) VALUES (1, ?, 1, ?, NULL)')
    .run(T0S, encodeFloats([12.5, 40]));
  old
    .prepare('INSERT INTO history_raw (host_id, t, layout, vals, procs) VALUES (1, ?, 1, ?, NULL)')
    .run(T0S + 10, encodeFloats([13.5, 41]));
  old
    .prepare(
      'INSERT INTO history_rollup (host_id, tier, t, layout, n, avg, max, cnt, procs) VALUES (1, 60, ?, 1, 2, ?, ?, NULL, NULL)',
    )
    .run(T0S, encodeFloats([13, 40.5]), encodeFloats([13.5, 41]));
  old.close();

  const store = new SqliteStore({ dataDir: dir.path });
  await store.ingest(cpuReport('a', T0 + 20_000, 14.5), T0 + 20_000);
  const raw = (await store.readHistory('a', 'raw', T0S, T0S + 60))!;
  expect(raw.map((r) => [r.t, r.avg[r.keys.indexOf('cpu')]])).toEqual([
    [T0S, 12.5],
    [T0S + 10, 13.5],
    [T0S + 20, 14.5],
  ]);
  const m1 = (await store.readHistory('a', '1m', T0S, T0S))!;
  expect(m1.map((r) => [r.n, Array.from(r.avg), Array.from(r.max)])).toEqual([[2, [13, 40.5], [13.5, 41]]]);
  await maintainAll(store, T0 + 2 * 3_600_000);
  expect((store.db.prepare('SELECT count(*) AS n FROM history_chunk WHERE tier = 0').get() as { n: number }).n).toBe(1);
  // The first minute was rebuilt from the three reports once the job ran.
  expect((await store.readHistory('a', '1m', T0S, T0S))![0]!.n).toBe(3);
  expect((await store.readHistory('a', 'raw', T0S, T0S + 60))!.map((r) => r.t)).toEqual([T0S, T0S + 10, T0S + 20]);
  await store.close();
});
