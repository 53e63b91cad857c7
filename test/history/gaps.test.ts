/** Silences in raw history: the query engine over hand-made rows, so each time and null is known. */
import { describe, expect, it } from 'vitest';
import { silencesBefore, typicalInterval } from '../../src/history/gaps.js';
import { hostHistory, type HistoryReader } from '../../src/history/query.js';
import { parseTiers } from '../../src/history/tiers.js';
import type { HistoryRow } from '../../src/history/types.js';

const T0 = 1_767_571_200; // 2026-01-05T00:00:00Z
const KEYS = ['cpu'] as const;

/** A reader holding raw rows of one host at `times`, cpu = i for the i-th. */
function readerOf(times: readonly number[]): HistoryReader {
  const rows: HistoryRow[] = times.map((t, i) => ({ t, keys: KEYS, n: 1, avg: [i], max: [i], cnt: null }));
  return {
    historyTiers: () => parseTiers('raw:24h,1m:7d'),
    readHistory: async (_alias, tier, from, to) => (tier === 'raw' ? rows.filter((r) => r.t >= from && r.t <= to) : []),
  };
}
const every = (start: number, spacing: number, count: number) =>
  Array.from({ length: count }, (_, i) => start + i * spacing);
const query = (times: readonly number[], from: number, to: number) =>
  hostHistory(readerOf(times), 'a', { from, to, selectors: ['cpu'] }, to * 1000);

describe('the interval of a host', () => {
  it('is the median spacing of its reports, the lower one of an even count', () => {
    expect(typicalInterval([0, 10, 20, 30, 510])).toBe(10);
    expect(typicalInterval([0, 10, 490])).toBe(10);
    expect(typicalInterval([0, 30, 60, 100])).toBe(30);
    expect(typicalInterval([5])).toBeUndefined();
  });

  it('finds silences longer than twice it, and none in jitter or at exactly twice', () => {
    expect(silencesBefore([0, 10, 20, 30, 510, 520])).toEqual([4]);
    expect(silencesBefore([0, 9, 21, 30, 41, 50])).toEqual([]);
    expect(silencesBefore([0, 10, 20, 40, 50])).toEqual([]);
    expect(silencesBefore([0, 10, 20, 41, 51])).toEqual([3]);
  });
});

describe('raw answers', () => {
  it('hold a point of nulls where the next report was due after an 8-minute silence', async () => {
    const times = [...every(T0, 10, 3), ...every(T0 + 500, 10, 3)];
    const answer = await query(times, T0, T0 + 600);
    expect(answer.step).toBeNull();
    expect(answer.timestamps).toEqual([T0, T0 + 10, T0 + 20, T0 + 30, T0 + 500, T0 + 510, T0 + 520]);
    expect(answer.series).toEqual({ cpu: [0, 1, 2, null, 3, 4, 5] });
    expect(answer.max).toEqual(answer.series);
  });

  it('derive the interval from the host itself: a 60 s agent has no silence at 60 s, and one at 5 minutes', async () => {
    const steady = await query(every(T0, 60, 30), T0, T0 + 3600);
    expect(steady.series.cpu).not.toContain(null);
    const silent = await query([...every(T0, 60, 10), ...every(T0 + 840, 60, 10)], T0, T0 + 3600);
    expect(silent.timestamps.slice(9, 12)).toEqual([T0 + 540, T0 + 600, T0 + 840]);
    expect(silent.series.cpu!.slice(9, 12)).toEqual([9, null, 10]);
  });

  it('break at every silence of a 24-hour range and count the breaks among the points limit', async () => {
    // 990 reports at 10 s with three silences: 993 points, still raw.
    const times = [...every(T0, 10, 330), ...every(T0 + 4000, 10, 330), ...every(T0 + 8000, 10, 330)];
    times.push(T0 + 20_000);
    const answer = await query(times, T0 + 20_000 - 86_400, T0 + 20_000);
    expect(answer.step).toBeNull();
    expect(answer.series.cpu!.filter((v) => v === null)).toHaveLength(3);
    expect(answer.timestamps).toHaveLength(994);
    // Past the limit with the breaks, it is folded into buckets, whose empty ones are the gaps.
    const full = await query([...every(T0, 10, 998), T0 + 20_000], T0 + 20_000 - 86_400, T0 + 20_000);
    expect(full.timestamps).toHaveLength(1000);
    expect(full.step).toBeNull();
    const over = await query([...every(T0, 10, 999), ...every(T0 + 20_000, 10, 1)], T0 + 20_000 - 86_400, T0 + 20_000);
    expect(over.step).toBe(87);
  });
});
