/** Compacted history on a real SQLite file: precision, late reports into compacted spans, deletion, retention. */
import { afterEach, describe, expect, it } from 'vitest';
import { hostHistory, parseRange } from '../../../src/history/query.js';
import type { HistoryRow } from '../../../src/history/types.js';
import { cpuReport, maintainAll, openTempStore, reportAt, T0, T0S, type StoreDir } from '../history-helpers.js';

const open: StoreDir[] = [];
const temp = () => {
  const h = openTempStore();
  open.push(h);
  return h;
};
afterEach(async () => {
  while (open.length > 0) await open.pop()!.remove();
});

const col = (row: HistoryRow | undefined, key: string, which: 'avg' | 'max' = 'avg') => {
  const i = row ? row.keys.indexOf(key) : -1;
  return i < 0 ? undefined : row![which][i]!;
};
const count = (h: StoreDir, sql: string) => (h.store.db.prepare(sql).get() as { n: number }).n;
const chunkTiers = (h: StoreDir) =>
  h.store.db
    .prepare<[], { tier: number }>('SELECT DISTINCT tier FROM history_chunk ORDER BY tier')
    .all()
    .map((r) => r.tier);

/** Stated precision: compacted values within 0.005 of what they summarise, per tier folded. */
const within = (actual: number | undefined, exact: number, tiers: number) => {
  expect(actual).toBeDefined();
  expect(Math.abs(actual! - exact)).toBeLessThanOrEqual(0.005 * tiers + 1e-9);
};

describe('compaction', () => {
  it('keeps hand-computed averages and maxima of every tier within the stated precision once compacted', async () => {
    const h = temp();
    const cpus = [10.004, 20.006, 30.001, 40.009, 50.002, 60.007];
    for (const [i, cpu] of cpus.entries()) {
      const report = cpuReport('a', T0 + i * 10_000, cpu);
      if (i > 0) report.containers = [];
      await h.store.ingest(report, T0 + i * 10_000);
    }
    await h.store.ingest(cpuReport('a', T0 + 60_000, 0.003), T0 + 60_000);
    await h.store.ingest(cpuReport('a', T0 + 70_000, 99.996), T0 + 70_000);
    await maintainAll(h.store, T0 + 6 * 86_400_000);
    expect(chunkTiers(h)).toEqual([60, 900, 3600]); // every rollup span holding T0 is compacted
    expect(count(h, 'SELECT count(*) AS n FROM history_rollup WHERE t < ' + (T0S + 3600))).toBe(0);
    const first = cpus.reduce((a, b) => a + b) / 6;
    const all = (cpus.reduce((a, b) => a + b) + 0.003 + 99.996) / 8;
    const m1 = (await h.store.readHistory('a', '1m', T0S, T0S + 3600))!;
    expect(m1.map((r) => [r.t, r.n])).toEqual([
      [T0S, 6],
      [T0S + 60, 2],
    ]);
    within(col(m1[0], 'cpu'), first, 1);
    within(col(m1[0], 'cpu', 'max'), 60.007, 1);
    within(col(m1[1], 'cpu'), (0.003 + 99.996) / 2, 1);
    within(col(m1[1], 'cpu', 'max'), 99.996, 1);
    expect(col(m1[0], 'container.cpu:trainer')).toBe(14.2); // one sample, not diluted by the five without it
    for (const [tier, folds] of [
      ['15m', 2],
      ['1h', 3],
    ] as const) {
      const row = (await h.store.readHistory('a', tier, T0S, T0S))![0];
      expect(row!.n).toBe(8);
      within(col(row, 'cpu'), all, folds);
      within(col(row, 'cpu', 'max'), 99.996, 1);
      expect(col(row, 'container.cpu:trainer')).toBe(14.2);
      expect(row!.cnt![row!.keys.indexOf('container.cpu:trainer')]).toBe(3); // first report and both of the second minute
    }
  });

  it('compacts an hour of raw reports and gives them back with their series and GPU processes', async () => {
    const h = temp();
    const times = Array.from({ length: 12 }, (_, i) => T0 + i * 600_000); // two hours, every 10 minutes
    for (const [i, ms] of times.entries()) await h.store.ingest(cpuReport('g', ms, 10 + i * 1.25), ms);
    const before = (await h.store.readHistory('g', 'raw', T0S, T0S + 7200))!;
    await maintainAll(h.store, T0 + 2 * 3_600_000 + 60_000);
    expect(count(h, 'SELECT count(*) AS n FROM history_chunk WHERE tier = 0')).toBe(2);
    expect(count(h, 'SELECT count(*) AS n FROM history_raw')).toBe(0);
    const after = (await h.store.readHistory('g', 'raw', T0S, T0S + 7200))!;
    expect(after.map((r) => r.t)).toEqual(before.map((r) => r.t));
    expect(after.map((r) => [...r.keys])).toEqual(before.map((r) => [...r.keys]));
    expect(after.map((r) => col(r, 'cpu'))).toEqual(times.map((_, i) => 10 + i * 1.25));
    expect(after.map((r) => col(r, 'gpu.power:0'))).toEqual(times.map(() => 250.5));
    expect(await h.store.readGpuProcesses('g', 'raw', T0S, T0S)).toEqual([
      {
        t: T0S,
        processes: [
          { gpu: 0, user: 'satya', cmd: 'python train.py', samples: 1, memSamples: 1, avgMem: 8900, maxMem: 8900 },
        ],
      },
    ]);
  });

  it('answers a query from compacted hours as it did before they were compacted', async () => {
    const h = temp();
    const times = Array.from({ length: 24 }, (_, i) => T0 + i * 300_000); // two hours, every 5 minutes
    for (const [i, ms] of times.entries()) {
      const report = cpuReport('g', ms, (i * 7.25) % 100);
      if (i % 3 === 0) report.containers = [];
      await h.store.ingest(report, ms);
    }
    const nowMs = T0 + 2 * 3_600_000 + 60_000;
    const range = parseRange(
      { metrics: 'cpu,gpu.util,container.cpu', from: String(T0S), to: String(T0S + 7200) },
      nowMs / 1000,
    );
    const before = await hostHistory(h.store, 'g', range, nowMs);
    await maintainAll(h.store, nowMs);
    expect(count(h, 'SELECT count(*) AS n FROM history_chunk WHERE tier = 0')).toBe(2);
    const after = await hostHistory(h.store, 'g', range, nowMs);
    expect(after).toEqual(before);
    expect(Object.keys(after!.series)).toEqual(['cpu', 'gpu.util:0', 'container.cpu:trainer']);
    expect(after!.series['container.cpu:trainer']!.filter((v) => v === null)).toHaveLength(8);
    // The store decodes only the wanted series of compacted hours (head rows keep all theirs).
    const rows = await h.store.readHistory('g', 'raw', T0S, T0S + 3599, (k) => k === 'cpu');
    expect(rows!.map((r) => [...r.keys])).toEqual(rows!.map(() => ['cpu']));
  });

  it('reopens a compacted hour for a late report, counts it in every tier, and compacts it again', async () => {
    const h = temp();
    for (let i = 0; i < 6; i++) await h.store.ingest(cpuReport('a', T0 + i * 10_000, 10), T0 + i * 10_000);
    await h.store.ingest(cpuReport('a', T0 + 2 * 3_600_000, 10), T0 + 2 * 3_600_000);
    await maintainAll(h.store, T0 + 2 * 3_600_000 + 60_000);
    expect(count(h, 'SELECT count(*) AS n FROM history_chunk WHERE tier = 0')).toBe(1);
    // A spooled report of the first minute arrives late, and a resend of one already stored.
    await h.store.ingest(cpuReport('a', T0 + 55_000, 70), T0 + 2 * 3_600_000 + 70_000);
    await h.store.ingest(cpuReport('a', T0 + 10_000, 10), T0 + 2 * 3_600_000 + 70_000);
    expect(count(h, 'SELECT count(*) AS n FROM history_chunk WHERE tier = 0')).toBe(0);
    expect((await h.store.readHistory('a', 'raw', T0S, T0S + 59))!.map((r) => col(r, 'cpu'))).toEqual([
      10, 10, 10, 10, 10, 10, 70,
    ]);
    await maintainAll(h.store, T0 + 2 * 3_600_000 + 80_000);
    expect(count(h, 'SELECT count(*) AS n FROM history_chunk WHERE tier = 0')).toBe(1);
    expect(count(h, `SELECT count(*) AS n FROM history_raw WHERE t < ${T0S + 3600}`)).toBe(0);
    for (const tier of ['1m', '15m', '1h']) {
      const row = (await h.store.readHistory('a', tier, T0S, T0S))![0];
      expect(row!.n).toBe(7);
      expect(col(row, 'cpu')).toBeCloseTo((60 + 70) / 7, 6); // head buckets: not compacted yet, float32
      expect(col(row, 'cpu', 'max')).toBe(70);
    }
  });

  it('deletes the chunks of a deleted server', async () => {
    const h = temp();
    for (const alias of ['a', 'b']) await h.store.ingest(reportAt(alias, T0), T0);
    await maintainAll(h.store, T0 + 6 * 86_400_000);
    expect(count(h, 'SELECT count(*) AS n FROM history_chunk')).toBeGreaterThan(0);
    await h.store.deleteHost('a');
    expect(await h.store.readHistory('a', '1h', 0, T0S + 86_400)).toBeUndefined();
    expect(count(h, 'SELECT count(DISTINCT host_id) AS n FROM history_chunk')).toBe(1);
    expect((await h.store.readHistory('b', '1h', 0, T0S + 86_400))!).toHaveLength(1);
  });

  it('stops reads at the retention cut-off although a chunk straddles it, and drops chunks once wholly aged', async () => {
    const h = temp();
    const times = Array.from({ length: 24 * 6 }, (_, i) => T0 + i * 600_000); // one day, every 10 minutes
    await Promise.all(times.map((ms) => h.store.ingest(cpuReport('a', ms, 5), ms)));
    const now = T0S + 86_400 + 1800; // the raw cut-off falls in the middle of the first hour's chunk
    await maintainAll(h.store, now * 1000);
    const raw = (await h.store.readHistory('a', 'raw', 0, now))!.map((r) => r.t);
    expect(raw[0]).toBe(T0S + 1800);
    expect(raw).toHaveLength(144 - 3);
    expect(count(h, `SELECT count(*) AS n FROM history_chunk WHERE tier = 0 AND t = ${T0S}`)).toBe(1);
    await maintainAll(h.store, (now + 1800) * 1000);
    expect(count(h, `SELECT count(*) AS n FROM history_chunk WHERE tier = 0 AND t = ${T0S}`)).toBe(0);
    expect((await h.store.readHistory('a', 'raw', 0, now + 1800))![0]!.t).toBe(T0S + 3600);
  });
});
