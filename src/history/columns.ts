/**
 * Turns stored rows into the columnar answer of GET /api/history: one
 * timestamps array and, per series, an array of averages and one of maxima,
 * with null for gaps (ready for uPlot).
 */
import { tidy } from './codec.js';
import { MAX_POINTS } from './plan.js';
import { countAt, type HistoryRow } from './types.js';

/** Series values per key, aligned with a timestamps array; NaN marks a gap. */
export interface Columns {
  timestamps: number[];
  avg: Map<string, Float64Array>;
  max: Map<string, Float64Array>;
}

/** The JSON-ready part of an answer. */
export interface ColumnsJson {
  timestamps: number[];
  series: Record<string, (number | null)[]>;
  max: Record<string, (number | null)[]>;
}

/**
 * The bucket starts covering [from, to], at most `limit` of them. Counted
 * first and computed as first + i * bucket: a loop adding `bucket` until it
 * passes `to` never ends once the times are too large for a double to move.
 */
export function bucketGrid(from: number, to: number, bucket: number, limit = MAX_POINTS): number[] {
  const first = Math.floor(from / bucket) * bucket;
  const count = Math.min(Math.floor((to - first) / bucket) + 1, limit);
  if (!(count > 0)) return [];
  return Array.from({ length: count }, (_, i) => first + i * bucket);
}

/** Keys of the rows that `wanted` accepts, in first-seen order. */
export function keysOf(rows: readonly HistoryRow[], wanted: (key: string) => boolean): string[] {
  const seen = new Set<string>();
  let last: readonly string[] | undefined;
  for (const row of rows) {
    if (row.keys === last) continue; // rows share their layout's key array
    last = row.keys;
    for (const key of row.keys) if (!seen.has(key) && wanted(key)) seen.add(key);
  }
  return [...seen];
}

/** Raw rows as they are: one point per report. */
export function rawColumns(rows: readonly HistoryRow[], keys: readonly string[]): Columns {
  const avg = new Map(keys.map((k) => [k, new Float64Array(rows.length).fill(NaN)]));
  rows.forEach((row, j) => {
    for (let i = 0; i < row.keys.length; i++) {
      const column = avg.get(row.keys[i]!);
      if (column) column[j] = row.avg[i]!;
    }
  });
  return { timestamps: rows.map((r) => r.t), avg, max: avg };
}

/**
 * Rows folded into buckets of `bucket` seconds on `grid`: averages weighted
 * by the samples behind each value, maxima of maxima.
 */
export function bucketColumns(
  rows: readonly HistoryRow[],
  keys: readonly string[],
  grid: readonly number[],
  bucket: number,
): Columns {
  const size = grid.length;
  const first = grid[0] ?? 0;
  const slot = new Map(keys.map((k, i) => [k, i]));
  const sum = new Float64Array(keys.length * size);
  const cnt = new Float64Array(keys.length * size);
  const max = new Float64Array(keys.length * size).fill(NaN);
  // Per layout, the positions of the wanted keys and their slots: rows carry every series, answers a few.
  const layoutSlots = new Map<readonly string[], { at: Int32Array; slot: Int32Array }>();
  for (const row of rows) {
    const b = Math.floor((row.t - first) / bucket);
    if (b < 0 || b >= size) continue;
    let plan = layoutSlots.get(row.keys);
    if (!plan) {
      const at = row.keys.flatMap((k, i) => (slot.has(k) ? [i] : []));
      plan = { at: Int32Array.from(at), slot: Int32Array.from(at, (i) => slot.get(row.keys[i]!)!) };
      layoutSlots.set(row.keys, plan);
    }
    for (let p = 0; p < plan.at.length; p++) {
      const i = plan.at[p]!;
      const s = plan.slot[p]!;
      const c = countAt(row, i);
      if (c === 0) continue;
      const at = s * size + b;
      sum[at]! += row.avg[i]! * c;
      cnt[at]! += c;
      const m = row.max[i]!;
      if (!(max[at]! >= m)) max[at] = m;
    }
  }
  const avgOut = new Map<string, Float64Array>();
  const maxOut = new Map<string, Float64Array>();
  keys.forEach((key, s) => {
    const a = new Float64Array(size);
    for (let b = 0; b < size; b++) a[b] = cnt[s * size + b]! > 0 ? sum[s * size + b]! / cnt[s * size + b]! : NaN;
    avgOut.set(key, a);
    maxOut.set(key, max.slice(s * size, (s + 1) * size));
  });
  return { timestamps: [...grid], avg: avgOut, max: maxOut };
}

/**
 * Combines several hosts' bucketed columns on one grid, one host at a time
 * (so a fleet's columns are never all held at once): each output key is the
 * plain average of the instances mapped to it (a host, or a GPU), and its
 * maximum the largest of their maxima.
 */
export class ColumnsCombiner {
  private readonly acc = new Map<string, { sum: Float64Array; n: Float64Array; max: Float64Array }>();

  constructor(
    private readonly grid: readonly number[],
    private readonly outKey: (key: string) => string | undefined,
  ) {}

  add(part: Columns): void {
    const size = this.grid.length;
    for (const [key, values] of part.avg) {
      const out = this.outKey(key);
      if (out === undefined) continue;
      let a = this.acc.get(out);
      if (!a) {
        a = { sum: new Float64Array(size), n: new Float64Array(size), max: new Float64Array(size).fill(NaN) };
        this.acc.set(out, a);
      }
      const maxima = part.max.get(key)!;
      for (let b = 0; b < size; b++) {
        const v = values[b]!;
        if (Number.isNaN(v)) continue;
        a.sum[b]! += v;
        a.n[b]! += 1;
        if (!(a.max[b]! >= maxima[b]!)) a.max[b] = maxima[b]!;
      }
    }
  }

  columns(): Columns {
    const avg = new Map<string, Float64Array>();
    const max = new Map<string, Float64Array>();
    for (const [key, a] of this.acc) {
      avg.set(
        key,
        a.sum.map((s, b) => (a.n[b]! > 0 ? s / a.n[b]! : NaN)),
      );
      max.set(key, a.max);
    }
    return { timestamps: [...this.grid], avg, max };
  }
}

/** Columns as JSON arrays, NaN → null, float32 noise rounded away; `order` fixes the key order. */
export function columnsJson(columns: Columns, order: readonly string[]): ColumnsJson {
  const series: ColumnsJson['series'] = {};
  const max: ColumnsJson['max'] = {};
  const size = columns.timestamps.length;
  for (const key of order) {
    const a = columns.avg.get(key);
    const m = columns.max.get(key);
    series[key] = a ? Array.from(a, tidy) : new Array<null>(size).fill(null);
    max[key] = m === a ? series[key]! : m ? Array.from(m, tidy) : new Array<null>(size).fill(null);
  }
  return { timestamps: columns.timestamps, series, max };
}
