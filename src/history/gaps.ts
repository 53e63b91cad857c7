/**
 * Silences in raw history. Reports come back at their own times, so a chart
 * would draw a straight line across an hour in which the host sent nothing.
 * The rule: a host's interval is the median spacing of its reports in the
 * answer (the lower median, so one long silence among few reports still
 * counts), and a spacing longer than SILENCE_FACTOR intervals is a silence.
 * The answer then holds one point of nulls where the next report was due,
 * so a chart breaks there, as it does at an empty bucket of a rollup tier.
 */
import type { Columns } from './columns.js';

/** A spacing longer than this many of the host's intervals is a silence. */
export const SILENCE_FACTOR = 2;

/** The host's interval (seconds) as its report times show it; undefined with fewer than two reports. */
export function typicalInterval(times: readonly number[]): number | undefined {
  if (times.length < 2) return undefined;
  const spacings = new Float64Array(times.length - 1);
  for (let i = 1; i < times.length; i++) spacings[i - 1] = times[i]! - times[i - 1]!;
  spacings.sort();
  // Two reports in one second would make every spacing a silence.
  return Math.max(spacings[(spacings.length - 1) >> 1]!, 1);
}

/** Indexes i of `times` (oldest first) that follow a silence: a point of nulls belongs before each. */
export function silencesBefore(times: readonly number[]): number[] {
  const interval = typicalInterval(times);
  if (interval === undefined) return [];
  const after: number[] = [];
  for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! > SILENCE_FACTOR * interval) after.push(i);
  return after;
}

/**
 * Raw columns with a point of nulls (NaN) at the time the next report was due
 * after each silence; `before` comes from silencesBefore(columns.timestamps).
 */
export function breakSilences(columns: Columns, before: readonly number[]): Columns {
  if (before.length === 0) return columns;
  const times = columns.timestamps;
  const interval = typicalInterval(times)!;
  const size = times.length + before.length;
  const timestamps: number[] = [];
  const spread = (values: Float64Array) => {
    const out = new Float64Array(size).fill(NaN);
    let gap = 0;
    for (let i = 0; i < times.length; i++) {
      if (before[gap] === i) gap++;
      out[i + gap] = values[i]!;
    }
    return out;
  };
  let gap = 0;
  for (let i = 0; i < times.length; i++) {
    if (before[gap] === i) {
      timestamps.push(times[i - 1]! + interval);
      gap++;
    }
    timestamps.push(times[i]!);
  }
  const avg = new Map([...columns.avg].map(([key, values]) => [key, spread(values)]));
  const max =
    columns.max === columns.avg ? avg : new Map([...columns.max].map(([key, values]) => [key, spread(values)]));
  return { timestamps, avg, max };
}
