/** Shapes shared by the history logic and the store backends. */

/** Accepts the series keys a reader wants. */
export type SeriesFilter = (key: string) => boolean;

/** One GPU process within one row: a raw sample, or a bucket's aggregate. */
export interface ProcessAggregate {
  gpu: number;
  user: string;
  cmd: string;
  /** Samples (reports) in which the process was seen. */
  samples: number;
  /** Of those, samples that told its memory. */
  memSamples: number;
  /** Average GPU memory in MB over memSamples (NaN when none). */
  avgMem: number;
  /** Largest GPU memory seen, MB (NaN when none). */
  maxMem: number;
}

/**
 * One stored row of one host: a report (raw tier) or a bucket. Values are
 * NaN where a series had no value. For raw rows `max` is `avg` and n is 1.
 */
export interface HistoryRow {
  /** Unix seconds: the report's time, or the bucket's start. */
  t: number;
  /** Series keys, in the order of the value arrays. */
  keys: readonly string[];
  /** Samples (reports) folded into this row. */
  n: number;
  avg: ArrayLike<number>;
  max: ArrayLike<number>;
  /** Samples behind each value; null means n for every value that is not NaN (and 0 for NaN). */
  cnt: ArrayLike<number> | null;
}

/** A bucket computed from rows: what a rollup stores. */
export interface Bucket {
  keys: string[];
  n: number;
  avg: number[];
  max: number[];
  /** Per-key sample counts, or null when each is n (or 0 for a NaN value). */
  cnt: number[] | null;
}

/** Count of samples behind value i of a row. */
export function countAt(row: HistoryRow, i: number): number {
  if (row.cnt) return row.cnt[i]!;
  return Number.isNaN(row.avg[i]!) ? 0 : row.n;
}
