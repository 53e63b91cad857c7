/**
 * History through the Store interface after maintenance: rollup, late
 * reports, retention and compaction, with the default tiers
 * (raw:24h,1m:7d,15m:90d,1h:2y) and an injected clock.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../../src/contract/index.js';
import { parseRange } from '../../../src/history/query.js';
import type { Store } from '../../../src/store/store.js';
import { selectedBackends } from './backends.js';
import { cpuReport, freshDatabase, maintainAll, T0, T0S, valueOf } from './fixtures.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Six reports in the first minute (cpu 10..60), two in the second (0, 100). */
async function eightReports(store: Store, alias = 'a'): Promise<void> {
  for (const [i, cpu] of [10, 20, 30, 40, 50, 60].entries())
    await store.ingest(cpuReport(alias, T0 + i * 10_000, cpu), T0 + i * 10_000);
  await store.ingest(cpuReport(alias, T0 + MINUTE, 0), T0 + MINUTE);
  await store.ingest(cpuReport(alias, T0 + MINUTE + 10_000, 100), T0 + MINUTE + 10_000);
}

/** The first row of `tier` at T0, as [n, avg cpu, max cpu]. */
async function firstBucket(store: Store, tier: string): Promise<[number, number | undefined, number | undefined]> {
  const row = (await store.readHistory('a', tier, T0S, T0S))![0];
  return [row!.n, valueOf(row, 'cpu'), valueOf(row, 'cpu', 'max')];
}

/** Store.queryHistory's answer for one host, parsed. */
async function hostAnswer(
  store: Store,
  query: Parameters<typeof parseRange>[0],
  nowMs: number,
): Promise<HistoryResponse> {
  const range = parseRange(query, nowMs / 1000);
  const json = await store.queryHistory({ kind: 'host', alias: 'a', range, nowMs });
  return JSON.parse(json!.toString('utf8')) as HistoryResponse;
}

describe.each(selectedBackends())('%s store: history after maintenance', (backend) => {
  const database = freshDatabase(backend);

  it('rolls reports up into 1m, 15m and 1h buckets with sample-weighted averages and maxima', async () => {
    const store = await database().open();
    await eightReports(store);
    await maintainAll(store, T0 + 2 * HOUR);
    const m1 = (await store.readHistory('a', '1m', T0S, T0S + 3600))!;
    expect(m1.map((r) => [r.t, r.n])).toEqual([
      [T0S, 6],
      [T0S + 60, 2],
    ]);
    expect(valueOf(m1[0], 'cpu')).toBeCloseTo(35, 4);
    expect(valueOf(m1[0], 'cpu', 'max')).toBe(60);
    expect(valueOf(m1[1], 'cpu')).toBeCloseTo(50, 4);
    for (const tier of ['15m', '1h']) {
      const [n, avg, max] = await firstBucket(store, tier);
      expect(n).toBe(8);
      expect(avg).toBeCloseTo(38.75, 4); // (10+20+30+40+50+60+0+100)/8: weighted by samples, not by minute
      expect(max).toBe(100);
    }
  });

  it('counts a late report in every tier once maintenance has run again', async () => {
    const store = await database().open();
    await eightReports(store);
    await maintainAll(store, T0 + 2 * HOUR);
    // A spooled report of the first minute arrives an hour late.
    expect((await store.ingest(cpuReport('a', T0 + 55_000, 70), T0 + 2 * HOUR)).latest).toBe(false);
    await maintainAll(store, T0 + 2 * HOUR + MINUTE);
    const m1 = (await store.readHistory('a', '1m', T0S, T0S))![0];
    expect([m1!.n, valueOf(m1, 'cpu', 'max')]).toEqual([7, 70]);
    expect(valueOf(m1, 'cpu')).toBeCloseTo(280 / 7, 4);
    for (const tier of ['15m', '1h']) {
      const [n, avg, max] = await firstBucket(store, tier);
      expect([n, max]).toEqual([9, 100]);
      expect(avg).toBeCloseTo(380 / 9, 4);
    }
  });

  it('expires raw reports after their retention, only once the next tier holds them', async () => {
    const store = await database().open();
    await eightReports(store);
    await store.ingest(cpuReport('a', T0 + 25 * HOUR, 5), T0 + 25 * HOUR);
    // The first maintenance in 25 hours: folding must come before expiry.
    await maintainAll(store, T0 + 25 * HOUR + MINUTE);
    expect(await store.readHistory('a', 'raw', T0S, T0S + 3600)).toEqual([]);
    expect((await store.readHistory('a', 'raw', T0S, T0S + 26 * 3600))!.map((r) => r.t)).toEqual([T0S + 25 * 3600]);
    const m1 = (await store.readHistory('a', '1m', T0S, T0S + 3600))!;
    expect(m1.map((r) => [r.t, r.n, valueOf(r, 'cpu', 'max')])).toEqual([
      [T0S, 6, 60],
      [T0S + 60, 2, 100],
    ]);
    // 1m keeps 7 days; 8 days on, only the coarser tiers answer for that hour.
    await maintainAll(store, T0 + 8 * DAY);
    expect(await store.readHistory('a', '1m', T0S, T0S + 3600)).toEqual([]);
    expect(await firstBucket(store, '15m')).toEqual([8, expect.closeTo(38.75, 3), 100]);
  });

  it('answers a host query over hours that maintenance compacted as it did before', async () => {
    const store = await database().open();
    for (let i = 0; i < 24; i++)
      await store.ingest(cpuReport('a', T0 + i * 5 * MINUTE, (i * 7.25) % 100), T0 + i * 5 * MINUTE);
    const nowMs = T0 + 2 * HOUR + MINUTE;
    const queries: Parameters<typeof parseRange>[0][] = [
      { metrics: 'cpu,gpu.util', from: String(T0S), to: String(T0S + 7200) },
      { metrics: 'cpu', from: String(T0S), to: String(T0S + 7200), step: '900' },
    ];
    const before = await Promise.all(queries.map((q) => hostAnswer(store, q, nowMs)));
    expect(before.map((a) => [a.tier, a.timestamps.length, a.series['cpu']!.filter((v) => v !== null).length])).toEqual(
      [
        ['raw', 24, 24],
        ['15m', 9, 8],
      ],
    );
    expect(await maintainAll(store, nowMs)).toBeGreaterThan(0);
    expect(await Promise.all(queries.map((q) => hostAnswer(store, q, nowMs)))).toEqual(before);
  });

  it('takes a late report into compacted hours and folds it into every tier', async () => {
    const store = await database().open();
    for (let i = 0; i < 6; i++) await store.ingest(cpuReport('a', T0 + i * 10_000, 10), T0 + i * 10_000);
    await store.ingest(cpuReport('a', T0 + 2 * HOUR, 10), T0 + 2 * HOUR);
    await maintainAll(store, T0 + 2 * HOUR + MINUTE);
    await store.ingest(cpuReport('a', T0 + 55_000, 70), T0 + 2 * HOUR + 70_000);
    await store.ingest(cpuReport('a', T0 + 10_000, 10), T0 + 2 * HOUR + 70_000); // a resend of one already stored
    expect((await store.readHistory('a', 'raw', T0S, T0S + 59))!.map((r) => valueOf(r, 'cpu'))).toEqual([
      10, 10, 10, 10, 10, 10, 70,
    ]);
    await maintainAll(store, T0 + 2 * HOUR + 80_000);
    expect((await store.readHistory('a', 'raw', T0S, T0S + 59))!.map((r) => valueOf(r, 'cpu'))).toEqual([
      10, 10, 10, 10, 10, 10, 70,
    ]);
    for (const tier of ['1m', '15m', '1h']) {
      const [n, avg, max] = await firstBucket(store, tier);
      expect([n, max]).toEqual([7, 70]);
      expect(avg).toBeCloseTo(130 / 7, 4);
    }
  });
});
