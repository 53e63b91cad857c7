/** Pure history logic: tiers, rollup math, planning, columns. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldRows } from '../../src/history/aggregate.js';
import { bucketColumns, bucketGrid } from '../../src/history/columns.js';
import { MAX_POINTS, parseTimeParam, planQuery } from '../../src/history/plan.js';
import { parseRange, QueryError } from '../../src/history/query.js';
import { expandSelectors, selectorProblem } from '../../src/history/series.js';
import { DEFAULT_TIERS_SPEC, parseTiers } from '../../src/history/tiers.js';
import type { HistoryRow } from '../../src/history/types.js';

const raw = (t: number, keys: string[], values: number[]): HistoryRow => ({
  t,
  keys,
  n: 1,
  avg: values,
  max: values,
  cnt: null,
});

describe('tiers', () => {
  it('parses the defaults', () => {
    expect(parseTiers(DEFAULT_TIERS_SPEC)).toEqual([
      { name: 'raw', width: 0, retention: 86_400 },
      { name: '1m', width: 60, retention: 7 * 86_400 },
      { name: '15m', width: 900, retention: 90 * 86_400 },
      { name: '1h', width: 3600, retention: 2 * 365 * 86_400 },
    ]);
  });

  it.each([
    ['1m:7d', /first tier/],
    ['raw:24h,7m:7d', /divide a day/],
    ['raw:24h,15m:7d,10m:30d', /wider than/],
    ['raw:24h,1m:7d,90s:30d', /multiple/],
    ['raw:1m,1m:7d', /twice as long/],
    ['raw:24h,1m:forever', /bad retention/],
    ['raw', /is not/],
  ])('refuses %s', (spec, message) => {
    expect(() => parseTiers(spec)).toThrow(message);
  });
});

describe('foldRows', () => {
  it('averages and maxes by hand-computed values, skipping gaps and weighting by samples', () => {
    const bucket = foldRows([
      raw(0, ['cpu', 'temp'], [10, NaN]),
      raw(10, ['cpu', 'temp'], [40, 60]),
      raw(20, ['cpu'], [70]),
    ])!;
    expect(bucket.keys).toEqual(['cpu', 'temp']);
    expect(bucket.n).toBe(3);
    expect(bucket.avg).toEqual([40, 60]);
    expect(bucket.max).toEqual([70, 60]);
    expect(bucket.cnt).toEqual([3, 1]);
    // Folding buckets again weights each by its samples: (40*3 + 10*1) / 4.
    const coarse = foldRows([
      { ...bucket, t: 0 },
      { t: 60, keys: ['cpu'], n: 1, avg: [10], max: [95], cnt: null },
    ])!;
    expect(coarse.avg[0]).toBe(32.5);
    expect(coarse.max).toEqual([95, 60]);
    expect(coarse.cnt).toEqual([4, 1]);
  });

  it('keeps counts implicit when every value had every sample', () => {
    expect(foldRows([raw(0, ['cpu'], [1]), raw(1, ['cpu'], [3])])!.cnt).toBeNull();
    expect(foldRows([])).toBeUndefined();
  });

  it('gives the same average and maximum however the samples are split into buckets first', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (values, chunk) => {
          const rows = values.map((v, i) => raw(i, ['x'], [v]));
          const direct = foldRows(rows)!;
          const parts = [];
          for (let i = 0; i < rows.length; i += chunk) parts.push({ ...foldRows(rows.slice(i, i + chunk))!, t: i });
          const twoStep = foldRows(parts)!;
          expect(twoStep.avg[0]).toBeCloseTo(direct.avg[0]!, 9);
          expect(twoStep.max[0]).toBe(Math.max(...values));
          expect(twoStep.n).toBe(values.length);
        },
      ),
    );
  });
});

describe('planning', () => {
  const tiers = parseTiers(DEFAULT_TIERS_SPEC);
  const now = 1_800_000_000;
  const plan = (fromBack: number, step?: number) => {
    const p = planQuery(tiers, { from: now - fromBack, to: now, ...(step ? { step } : {}) }, now);
    return [p.tier.name, p.bucket];
  };

  it('picks the finest tier still holding data at from, and the coarsest no coarser than step', () => {
    expect(plan(3600)).toEqual(['raw', 4]);
    expect(plan(86_400)).toEqual(['raw', 87]);
    expect(plan(86_401)).toEqual(['1m', 120]);
    expect(plan(86_400, 60)).toEqual(['1m', 120]);
    expect(plan(3600, 900)).toEqual(['15m', 900]);
    expect(plan(3600, 30)).toEqual(['raw', 30]);
    expect(plan(8 * 86_400)).toEqual(['15m', 900]);
    expect(plan(91 * 86_400)).toEqual(['1h', 10_800]);
    expect(plan(3 * 365 * 86_400)).toEqual(['1h', 97_200]);
  });

  it('never plans more than MAX_POINTS buckets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 * 365 * 86_400 }),
        fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
        (back, step) => {
          const p = planQuery(tiers, { from: now - back, to: now, ...(step ? { step } : {}) }, now);
          expect(bucketGrid(now - back, now, p.bucket).length).toBeLessThanOrEqual(MAX_POINTS);
          if (p.tier.width > 0) expect(p.bucket % p.tier.width).toBe(0);
        },
      ),
    );
  });

  it('reads the time forms of the API', () => {
    expect(parseTimeParam('now', 1000)).toBe(1000);
    expect(parseTimeParam('-30m', 10_000)).toBe(8200);
    expect(parseTimeParam('1764000000', 0)).toBe(1_764_000_000);
    expect(parseTimeParam('2026-01-01T00:00:00Z', 0)).toBe(1_767_225_600);
    expect(parseTimeParam('yesterday', 0)).toBeUndefined();
  });

  it.each([
    [
      { from: '10000000000000000000', to: '10000000000000000000' },
      /^from="10000000000000000000" lies outside 1970-01-01 to 2100-01-01$/,
    ],
    [{ from: '0', to: '4102444801' }, /^to="4102444801" lies outside/],
    [{ from: '9999-12-31T00:00:00Z' }, /^from=.* lies outside/],
    [{ from: '-99999999999999999999y' }, /^from=.* lies outside/],
    [{ from: '-200y' }, /^from="-200y" lies outside/],
    [{ from: '--1h' }, /^Cannot read from="--1h"$/],
    [{ to: 'soon' }, /^Cannot read to="soon"$/],
    [{ step: '315360001' }, /^step must be between 1 and 315360000 seconds/],
    [{ step: '0' }, /^step must be between 1/],
    [{ metrics: 'gpu.temp', fleet: true }, /fleet aggregate has only/],
  ])('refuses %j, naming the parameter', (query, message) => {
    const { fleet, ...params } = query as Record<string, string> & { fleet?: boolean };
    const parse = () => parseRange(params, now, { fleet: fleet ?? false });
    expect(parse).toThrow(QueryError);
    expect(parse).toThrow(message);
  });

  it('accepts the edges of the time range and the widest step', () => {
    expect(parseRange({ from: '0', to: '4102444800', step: '315360000' }, now)).toMatchObject({
      from: 0,
      to: 4_102_444_800,
      step: 315_360_000,
    });
    expect(parseRange({ from: '1970-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }, now)).toMatchObject({
      from: 0,
      to: 4_102_444_800,
    });
  });

  it('builds grids from a count, so that huge times end at the points limit instead of looping', () => {
    const huge = 1e19; // past 2^53, where t + 1 === t
    expect(bucketGrid(huge, huge, 1)).toEqual([huge]);
    expect(bucketGrid(0, huge, 1)).toHaveLength(MAX_POINTS);
    expect(bucketGrid(0, huge, 1).slice(0, 3)).toEqual([0, 1, 2]);
    expect(bucketGrid(10, 5, 60)).toEqual([0]);
    expect(bucketGrid(120, 60, 60)).toEqual([]);
    expect(bucketGrid(0, 100, NaN)).toEqual([]);
  });
});

describe('selectors and columns', () => {
  it('validates and expands selectors', () => {
    expect(selectorProblem('gpu.util')).toBeUndefined();
    expect(selectorProblem('disk.pct:/data')).toBeUndefined();
    expect(selectorProblem('cpu:1')).toMatch(/no instances/);
    expect(selectorProblem('nope')).toMatch(/Unknown metric/);
    expect(expandSelectors(['cpu', 'gpu.util', 'container.cpu:x'], ['gpu.util:0', 'gpu.util:1', 'gpu.mem:0'])).toEqual([
      'cpu',
      'gpu.util:0',
      'gpu.util:1',
      'container.cpu:x',
    ]);
  });

  it('buckets rows on an epoch-aligned grid with nulls (NaN) for empty buckets', () => {
    const grid = bucketGrid(95, 250, 60);
    expect(grid).toEqual([60, 120, 180, 240]);
    const rows = [raw(61, ['cpu'], [10]), raw(70, ['cpu'], [20]), raw(250, ['cpu'], [5])];
    const columns = bucketColumns(rows, ['cpu'], grid, 60);
    expect(Array.from(columns.avg.get('cpu')!)).toEqual([15, NaN, NaN, 5]);
    expect(Array.from(columns.max.get('cpu')!)).toEqual([20, NaN, NaN, 5]);
  });
});

describe('tidy', () => {
  it('gives back the value an agent sent after a float32 round trip', async () => {
    const { tidy, encodeFloats, decodeFloats } = await import('../../src/history/codec.js');
    const sent = [23.4, 0.52, 250.5, 81_920, 1e-3, 12_345.67, 0, NaN];
    expect(Array.from(decodeFloats(encodeFloats(sent)), tidy)).toEqual([
      23.4,
      0.52,
      250.5,
      81_920,
      0.001,
      12_345.67,
      0,
      null,
    ]);
  });
});

describe('sampleReport', () => {
  it('reuses the keys of the previous sample when the instances are the same, and starts afresh when they change', async () => {
    const { sampleReport } = await import('../../src/history/series.js');
    const { makeReport } = await import('../helpers/reports.js');
    const { normalizeReport } = await import('../../src/contract/index.js');
    const report = (overrides: Parameters<typeof makeReport>[1]) => {
      const r = normalizeReport(makeReport('a', overrides));
      if (Array.isArray(r)) throw new Error('does not normalize');
      return r;
    };
    const first = sampleReport(report({}));
    const same = sampleReport(report({ cpu: { percent: 77, loadavg: { '1m': 1, '5m': 1, '15m': 1 } } }), first);
    expect(same.keys).toBe(first.keys);
    expect(same.values[0]).toBe(77);
    expect(same.values).toEqual(
      sampleReport(report({ cpu: { percent: 77, loadavg: { '1m': 1, '5m': 1, '15m': 1 } } })).values,
    );
    const changed = sampleReport(report({ containers: [] }), first);
    expect(changed.keys).not.toBe(first.keys);
    expect(changed.keys.some((k) => k.startsWith('container.'))).toBe(false);
    const twice = report({});
    twice.disks = [twice.disks[0]!, { ...twice.disks[0]!, percent: 99 }]; // one mountpoint reported twice
    const dup = sampleReport(twice, first);
    expect(dup.shape).toBeUndefined();
    expect(dup.values[dup.keys.indexOf('disk.pct:/')]).toBe(50); // the first one counts
    expect(sampleReport(twice, dup).keys).not.toBe(dup.keys); // never reused without a shape
  });
});
