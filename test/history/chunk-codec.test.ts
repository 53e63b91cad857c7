/** The compact chunk format: what goes in comes back, to the stated precision. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeChunk, encodeChunk, STEPS, type ChunkRow } from '../../src/history/chunk-codec.js';

const LAYOUTS: Record<number, string[]> = {
  1: ['cpu', 'mem', 'gpu.util:0'],
  2: ['cpu', 'mem'],
  3: ['cpu', 'mem', 'gpu.util:0', 'container.cpu:x'],
};
const layout = (id: number) => LAYOUTS[id]!;
const UNION = { id: 3, keys: LAYOUTS[3]! };

/** The value the chunk is expected to give back for v: hundredths, or v itself when it cannot be quantized. */
const kept = (v: number) =>
  Number.isNaN(v) ? NaN : Math.abs(v) < 2 ** 50 / STEPS ? Math.round(v * STEPS) / STEPS + 0 : v; // + 0: no negative zero

describe('chunk codec', () => {
  it('gives back raw rows with their own layouts, hundredths exact, gaps and huge values intact', () => {
    const rows: ChunkRow[] = [
      {
        t: 100,
        layout: 1,
        keys: layout(1),
        n: 1,
        avg: [23.4, 31.25, 72],
        max: [23.4, 31.25, 72],
        cnt: null,
        procs: [0, 5, 8900],
      },
      { t: 110, layout: 2, keys: layout(2), n: 1, avg: [NaN, 1e300], max: [NaN, 1e300], cnt: null, procs: null },
      {
        t: 125,
        layout: 3,
        keys: layout(3),
        n: 1,
        avg: [0.004, -12.345, 0, 14.2],
        max: [0.004, -12.345, 0, 14.2],
        cnt: null,
        procs: [1, 7, NaN],
      },
    ];
    const back = decodeChunk(encodeChunk({ rows, union: UNION, rollup: false }), layout);
    expect(back.map((r) => [r.t, r.keys, r.n, Array.from(r.avg), r.procs && Array.from(r.procs)])).toEqual([
      [100, layout(1), 1, [23.4, 31.25, 72], [0, 5, 8900]],
      [110, layout(2), 1, [NaN, 1e300], null],
      [125, layout(3), 1, [0, -12.34, 0, 14.2], [1, 7, NaN]],
    ]);
    expect(back[0]!.keys).toBe(back[0]!.keys); // layouts come from the dictionary, shared
    expect(back.every((r) => r.max === r.avg)).toBe(true);
  });

  it('keeps bucket counts where they differ from the row count, and maxima apart from averages', () => {
    const rows: ChunkRow[] = [
      {
        t: 0,
        layout: 3,
        keys: layout(3),
        n: 6,
        avg: [35.0049, 10, NaN, 14.2],
        max: [60, 10, NaN, 14.2],
        cnt: [6, 6, 0, 1],
        procs: [0, 5, 3, 3, 2000, 3000, 1, 6, 2, 0, NaN, NaN],
      },
      { t: 60, layout: 1, keys: layout(1), n: 2, avg: [50, 11, 80], max: [100, 12, 90], cnt: null, procs: null },
    ];
    const back = decodeChunk(encodeChunk({ rows, union: UNION, rollup: true }), layout);
    expect(back[0]!.n).toBe(6);
    expect(Array.from(back[0]!.avg)).toEqual([35, 10, NaN, 14.2]);
    expect(Array.from(back[0]!.max)).toEqual([60, 10, NaN, 14.2]);
    expect(back[0]!.cnt).toEqual([6, 6, 0, 1]);
    expect(back[0]!.procs).toEqual([0, 5, 3, 3, 2000, 3000, 1, 6, 2, 0, NaN, NaN]);
    expect(back[1]!.cnt).toBeNull();
    expect(Array.from(back[1]!.max)).toEqual([100, 12, 90]);
  });

  it('round-trips any rows to within half a hundredth', () => {
    const value = fc.oneof(
      fc.double({ min: -1e7, max: 1e7, noNaN: true }),
      fc.constant(NaN),
      fc.integer({ min: 0, max: 100 }),
    );
    const row = fc.record({
      layout: fc.constantFrom(1, 2, 3),
      dt: fc.integer({ min: 1, max: 1000 }),
      n: fc.integer({ min: 1, max: 400 }),
      avg: fc.array(value, { minLength: 4, maxLength: 4 }),
      spread: fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 4, maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), fc.boolean(), (specs, rollup) => {
        let t = 1_764_000_000;
        const rows: ChunkRow[] = specs.map((s) => {
          t += s.dt;
          const keys = layout(s.layout);
          const avg = s.avg.slice(0, keys.length);
          const max = rollup ? avg.map((a, i) => a + s.spread[i]!) : avg;
          return { t, layout: s.layout, keys, n: rollup ? s.n : 1, avg, max, cnt: null, procs: null };
        });
        const back = decodeChunk(encodeChunk({ rows, union: UNION, rollup }), layout);
        expect(back.map((r) => r.t)).toEqual(rows.map((r) => r.t));
        back.forEach((r, j) => {
          expect(r.keys).toEqual(rows[j]!.keys);
          for (let i = 0; i < r.keys.length; i++) {
            for (const which of ['avg', 'max'] as const) {
              const want = rows[j]![which][i]!;
              if (Number.isNaN(want)) expect(r[which][i]).toBeNaN();
              else {
                expect(r[which][i]).toBe(kept(want));
                expect(Math.abs(r[which][i]! - want)).toBeLessThanOrEqual(0.5 / STEPS + 1e-9);
              }
            }
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('decodes only the wanted series when asked, each row keeping its own subset of keys', () => {
    const rows: ChunkRow[] = [
      { t: 0, layout: 3, keys: layout(3), n: 4, avg: [1, 2, 3, 4], max: [5, 6, 7, 8], cnt: [4, 4, 4, 1], procs: null },
      { t: 60, layout: 2, keys: layout(2), n: 1, avg: [9, 10], max: [9, 10], cnt: null, procs: null },
    ];
    const blob = encodeChunk({ rows, union: UNION, rollup: true });
    const back = decodeChunk(blob, layout, false, (k) => k === 'mem' || k.startsWith('container.'));
    expect(back.map((r) => [r.t, r.keys, Array.from(r.avg), Array.from(r.max), r.cnt])).toEqual([
      [0, ['mem', 'container.cpu:x'], [2, 4], [6, 8], [4, 1]],
      [60, ['mem'], [10], [10], null],
    ]);
    expect(decodeChunk(blob, layout, false, () => false).map((r) => r.keys)).toEqual([[], []]);
  });

  it('packs a flat series to almost nothing', () => {
    const rows: ChunkRow[] = Array.from({ length: 360 }, (_, j) => ({
      t: j * 10,
      layout: 3,
      keys: layout(3),
      n: 1,
      avg: [5, 40, 90, 1],
      max: [5, 40, 90, 1],
      cnt: null,
      procs: null,
    }));
    expect(encodeChunk({ rows, union: UNION, rollup: false }).length).toBeLessThan(120);
  });
});
