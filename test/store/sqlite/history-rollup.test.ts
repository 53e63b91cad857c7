/** Rollup and retention on a real SQLite file: math, watermarks, late data, restarts, downtime. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseTiers } from '../../../src/history/tiers.js';
import type { HistoryRow } from '../../../src/history/types.js';
import { cpuReport, maintainAll, openTempStore, reportAt, T0, T0S, type StoreDir } from '../history-helpers.js';

const open: StoreDir[] = [];
const temp = (options: Parameters<typeof openTempStore>[0] = {}) => {
  const h = openTempStore(options);
  open.push(h);
  return h;
};
afterEach(async () => {
  while (open.length > 0) await open.pop()!.remove();
});

const col = (row: HistoryRow | undefined, key: string, which: 'avg' | 'max' = 'avg') => {
  if (!row) return undefined;
  const i = row.keys.indexOf(key);
  return i < 0 ? undefined : row[which][i];
};

/** Eight reports: six in the first minute (cpu 10..60), two in the second (0, 100). */
async function eightReports(h: StoreDir, alias = 'a'): Promise<void> {
  const cpus = [10, 20, 30, 40, 50, 60];
  for (const [i, cpu] of cpus.entries()) {
    const report = cpuReport(alias, T0 + i * 10_000, cpu);
    if (i > 0) report.containers = []; // the container shows up in one report only
    if (i === 1) report.gpus[0]!.temperature_celsius = null;
    await h.store.ingest(report, T0 + i * 10_000);
  }
  await h.store.ingest(cpuReport(alias, T0 + 60_000, 0), T0 + 60_000);
  await h.store.ingest(cpuReport(alias, T0 + 70_000, 100), T0 + 70_000);
}

describe('rollup math', () => {
  it('builds 1m, 15m and 1h buckets whose averages and maxima match the hand-computed ones', async () => {
    const h = temp();
    await eightReports(h);
    await maintainAll(h.store, T0 + 2 * 3_600_000);
    const m1 = (await h.store.readHistory('a', '1m', T0S, T0S + 3600))!;
    expect(m1.map((r) => [r.t, r.n])).toEqual([
      [T0S, 6],
      [T0S + 60, 2],
    ]);
    expect(col(m1[0], 'cpu')).toBeCloseTo(35, 5); // (10+20+30+40+50+60)/6
    expect(col(m1[0], 'cpu', 'max')).toBe(60);
    expect(col(m1[1], 'cpu')).toBeCloseTo(50, 5); // (0+100)/2
    expect(col(m1[1], 'cpu', 'max')).toBe(100);
    expect(col(m1[0], 'container.cpu:trainer')).toBeCloseTo(14.2, 4); // one sample, not diluted by the five without it
    expect(col(m1[0], 'gpu.temp:0')).toBe(61); // the null reading is a gap, not a zero

    const m15 = (await h.store.readHistory('a', '15m', T0S, T0S + 3600))!;
    expect(m15).toHaveLength(1);
    expect(m15[0]!.n).toBe(8);
    expect(col(m15[0], 'cpu')).toBeCloseTo((10 + 20 + 30 + 40 + 50 + 60 + 0 + 100) / 8, 4); // weighted by samples: 38.75
    expect(col(m15[0], 'cpu', 'max')).toBe(100);
    expect(col(m15[0], 'container.cpu:trainer')).toBeCloseTo(14.2, 4);

    const h1 = (await h.store.readHistory('a', '1h', T0S, T0S + 3600))!;
    expect(h1).toHaveLength(1);
    expect(col(h1[0], 'cpu')).toBeCloseTo(38.75, 4);
    expect(col(h1[0], 'cpu', 'max')).toBe(100);
  });

  it('rolls up GPU processes: samples seen, average and peak memory', async () => {
    const h = temp();
    const mems = [1000, 3000, 2000];
    for (const [i, mem] of mems.entries()) {
      const report = reportAt('g', T0 + i * 10_000);
      report.gpus[0]!.processes = [
        { pid: 1, username: 'ana', cmd: 'python a.py', used_memory_mb: mem, type: 'C', container: null },
      ];
      await h.store.ingest(report, T0 + i * 10_000);
    }
    await maintainAll(h.store, T0 + 2 * 3_600_000);
    const rows = await h.store.readGpuProcesses('g', '15m', T0S, T0S);
    expect(rows).toEqual([
      {
        t: T0S,
        processes: [{ gpu: 0, user: 'ana', cmd: 'python a.py', samples: 3, memSamples: 3, avgMem: 2000, maxMem: 3000 }],
      },
    ]);
  });

  it('leaves the current minute alone until it has ended (plus a grace period)', async () => {
    const h = temp();
    await h.store.ingest(cpuReport('a', T0, 10), T0);
    await maintainAll(h.store, T0 + 50_000);
    expect(await h.store.readHistory('a', '1m', T0S, T0S + 60)).toEqual([]);
    await maintainAll(h.store, T0 + 90_000);
    expect(await h.store.readHistory('a', '1m', T0S, T0S + 60)).toHaveLength(1);
  });
});

describe('late and duplicate reports', () => {
  it('rebuilds every tier when a late report lands in a bucket that was already rolled up', async () => {
    const h = temp();
    await eightReports(h);
    await maintainAll(h.store, T0 + 2 * 3_600_000);
    // A spooled report from the first minute arrives two hours late.
    await h.store.ingest(cpuReport('a', T0 + 55_000, 200 - 100), T0 + 2 * 3_600_000);
    await maintainAll(h.store, T0 + 2 * 3_600_000 + 1000);
    const m1 = (await h.store.readHistory('a', '1m', T0S, T0S))!;
    expect(m1[0]!.n).toBe(7);
    expect(col(m1[0], 'cpu')).toBeCloseTo((210 + 100) / 7, 4);
    expect(col(m1[0], 'cpu', 'max')).toBe(100);
    for (const tier of ['15m', '1h']) {
      const row = (await h.store.readHistory('a', tier, T0S, T0S))![0];
      expect(row!.n).toBe(9);
      expect(col(row, 'cpu')).toBeCloseTo((310 + 100) / 9, 4);
    }
  });

  it('counts a duplicate report once in every tier', async () => {
    const h = temp();
    await eightReports(h);
    await h.store.ingest(cpuReport('a', T0 + 10_000, 20), T0 + 80_000); // resend of the second report
    await maintainAll(h.store, T0 + 2 * 3_600_000);
    await h.store.ingest(cpuReport('a', T0 + 10_000, 20), T0 + 2 * 3_600_000); // and again after the rollup
    await maintainAll(h.store, T0 + 2 * 3_600_000 + 1000);
    for (const tier of ['15m', '1h']) {
      const row = (await h.store.readHistory('a', tier, T0S, T0S))![0];
      expect(row!.n).toBe(8);
      expect(col(row, 'cpu')).toBeCloseTo(38.75, 4);
    }
  });
});

/** Every rollup row and the watermarks, for comparing two databases. */
function dump(h: StoreDir): unknown {
  return {
    rollup: h.store.db
      .prepare(
        'SELECT h.alias, r.tier, r.t, r.n, hex(r.avg) AS avg, hex(r.max) AS max, hex(r.cnt) AS cnt, hex(r.procs) AS procs FROM history_rollup r JOIN history_hosts h ON h.id = r.host_id ORDER BY h.alias, r.tier, r.t',
      )
      .all(),
    chunks: h.store.db
      .prepare(
        'SELECT h.alias, c.tier, c.t, hex(c.data) AS data FROM history_chunk c JOIN history_hosts h ON h.id = c.host_id ORDER BY h.alias, c.tier, c.t',
      )
      .all(),
    state: h.store.db.prepare('SELECT tier, done_until, host_cursor FROM history_state ORDER BY tier').all(),
  };
}

describe('restarts and downtime', () => {
  const fill = async (h: StoreDir) => {
    for (const alias of ['a', 'b', 'c']) await eightReports(h, alias);
  };

  it('a restart in the middle of a rollup (one host per batch) loses and double-counts nothing', async () => {
    const now = T0 + 2 * 3_600_000;
    const reference = temp();
    await fill(reference);
    await maintainAll(reference.store, now);

    const h = temp({ history: { maintenance: { hostsPerBatch: 1 } } });
    await fill(h);
    // Stop once the first minute is done and the second is half built: between hosts of one bucket.
    const cursor = () =>
      h.store.db.prepare<[], { host_cursor: number }>('SELECT host_cursor FROM history_state WHERE tier = 60').get()
        ?.host_cursor;
    for (let i = 0; i < 5 || cursor() === 0; i++) await h.store.historyMaintenance(now);
    expect(cursor()).toBeGreaterThan(0);
    await h.reopen();
    await maintainAll(h.store, now);
    expect(dump(h)).toEqual(dump(reference));
  });

  it('a batch out of time stops after one bucket and the next batch goes on from there, with the same result', async () => {
    const now = T0 + 2 * 3_600_000;
    const reference = temp();
    await fill(reference);
    const fullBatches = await maintainAll(reference.store, now);

    // A budget of 0 ms: every batch builds exactly one bucket (at least one, so it always progresses).
    const h = temp({ history: { maintenance: { batchBudgetMs: 0 } } });
    await fill(h);
    const cursors: number[] = [];
    const cursor = () =>
      h.store.db.prepare<[], { host_cursor: number }>('SELECT host_cursor FROM history_state WHERE tier = 60').get()
        ?.host_cursor ?? 0;
    let batches = 0;
    while (await h.store.historyMaintenance(now)) {
      if (++batches > 100_000) throw new Error('never settles');
      cursors.push(cursor());
    }
    expect(batches).toBeGreaterThan(fullBatches);
    expect(new Set(cursors.filter((c) => c > 0)).size).toBeGreaterThan(1); // it did stop between hosts of one bucket
    expect(dump(h)).toEqual(dump(reference));
  });

  it('redoing a batch whose progress was lost (crash before the watermark moved) changes nothing', async () => {
    const now = T0 + 2 * 3_600_000;
    const h = temp();
    await fill(h);
    await maintainAll(h.store, now);
    const before = dump(h);
    // Rewind every watermark to the start, as if no progress had ever been recorded.
    h.store.db.prepare('UPDATE history_state SET done_until = ?, host_cursor = 0').run(T0S - 3600);
    await h.reopen();
    await maintainAll(h.store, now);
    expect(dump(h)).toEqual(before);
  });

  it('catches up after three days of downtime and only then drops the raw rows', async () => {
    const h = temp();
    await eightReports(h);
    await maintainAll(h.store, T0 + 3 * 86_400_000);
    const m1 = (await h.store.readHistory('a', '1m', T0S, T0S + 3600))!;
    expect(m1.map((r) => r.n)).toEqual([6, 2]);
    expect((await h.store.readHistory('a', '1h', T0S, T0S))![0]!.n).toBe(8);
    expect(await h.store.readHistory('a', 'raw', 0, T0S + 86_400 * 4)).toEqual([]);
  });
});

describe('retention', () => {
  it('drops exactly the rows that have aged out of each tier', async () => {
    const tiers = parseTiers('raw:1h,1m:4h,15m:1d,1h:2d');
    const h = temp({ history: { tiers }, synchronous: 'NORMAL' });
    // One report every 15 minutes for three days (sent together: one group commit).
    const times3d = Array.from({ length: (3 * 86_400) / 900 }, (_, i) => T0 + i * 900_000);
    await Promise.all(times3d.map((ms) => h.store.ingest(cpuReport('a', ms, 5), ms)));
    const nowS = T0S + 3 * 86_400;
    await maintainAll(h.store, nowS * 1000);
    const times = async (tier: string) => (await h.store.readHistory('a', tier, 0, nowS))!.map((r) => r.t);
    const raw = await times('raw');
    expect(raw[0]).toBe(nowS - 3600); // a report exactly at the cut-off stays
    expect(raw).toHaveLength(4);
    const m1 = await times('1m');
    expect(m1[0]).toBe(nowS - 4 * 3600);
    expect(m1).toHaveLength(16);
    const m15 = await times('15m');
    expect(m15[0]).toBe(nowS - 86_400);
    const h1 = await times('1h');
    expect(h1[0]).toBe(nowS - 2 * 86_400);
    expect(h1.length).toBeGreaterThan(40); // the last 2 days of hourly buckets (minus ones not yet complete)
  });

  it('drops buckets of a tier that is no longer configured', async () => {
    const h = temp();
    await eightReports(h);
    await maintainAll(h.store, T0 + 2 * 3_600_000);
    const store = await h.reopen({ history: { tiers: parseTiers('raw:24h,1m:7d,1h:2y') } });
    await maintainAll(store, T0 + 2 * 3_600_000 + 61_000);
    const tiers = store.db
      .prepare<[], { tier: number }>('SELECT DISTINCT tier FROM history_rollup ORDER BY tier')
      .all()
      .map((r) => r.tier);
    expect(tiers).toEqual([60, 3600]);
    const chunked = store.db
      .prepare<[], { tier: number }>('SELECT DISTINCT tier FROM history_chunk ORDER BY tier')
      .all()
      .map((r) => r.tier);
    expect(chunked).toEqual([0]); // the raw hour was compacted; no 15m chunk is left
  });

  it('drops compacted chunks of a tier that is no longer configured', async () => {
    const h = temp();
    await eightReports(h);
    await maintainAll(h.store, T0 + 6 * 86_400_000); // the 1m, 15m and 1h spans holding T0 are compacted by now
    const chunkTiers = () =>
      h.store.db
        .prepare<[], { tier: number }>('SELECT DISTINCT tier FROM history_chunk ORDER BY tier')
        .all()
        .map((r) => r.tier);
    expect(chunkTiers()).toEqual([60, 900, 3600]);
    const store = await h.reopen({ history: { tiers: parseTiers('raw:24h,1m:7d,1h:2y') } });
    await maintainAll(store, T0 + 6 * 86_400_000 + 61_000);
    expect(chunkTiers()).toEqual([60, 3600]);
  });
});
