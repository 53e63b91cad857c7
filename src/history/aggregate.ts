/**
 * Rollup math: rows of a finer tier folded into one bucket. Averages are
 * weighted by the samples behind each value, so a 15-minute average built
 * from 1-minute buckets equals the average of the reports themselves; maxima
 * take the largest maximum, so a spike survives every tier.
 */
import { countAt, type Bucket, type HistoryRow, type ProcessAggregate } from './types.js';

/** Folds rows into one bucket; undefined when there are no rows. */
export function foldRows(rows: readonly HistoryRow[]): Bucket | undefined {
  if (rows.length === 0) return undefined;
  const index = new Map<string, number>();
  const keys: string[] = [];
  const sum: number[] = [];
  const max: number[] = [];
  const cnt: number[] = [];
  let n = 0;
  for (const row of rows) {
    n += row.n;
    for (let i = 0; i < row.keys.length; i++) {
      const key = row.keys[i]!;
      let slot = index.get(key);
      if (slot === undefined) {
        slot = keys.length;
        index.set(key, slot);
        keys.push(key);
        sum.push(0);
        max.push(NaN);
        cnt.push(0);
      }
      const c = countAt(row, i);
      if (c === 0) continue;
      sum[slot]! += row.avg[i]! * c;
      cnt[slot]! += c;
      const m = row.max[i]!;
      if (!(max[slot]! >= m)) max[slot] = m; // NaN-safe: any number beats NaN
    }
  }
  const avg = sum.map((s, i) => (cnt[i]! > 0 ? s / cnt[i]! : NaN));
  const full = cnt.every((c, i) => c === (Number.isNaN(avg[i]!) ? 0 : n));
  return { keys, n, avg, max, cnt: full ? null : cnt };
}

/** Folds the GPU processes of several rows, keyed by GPU, user and command. */
export function foldProcesses(lists: readonly (readonly ProcessAggregate[])[]): ProcessAggregate[] {
  const byKey = new Map<string, ProcessAggregate & { memSum: number }>();
  for (const list of lists) {
    for (const p of list) {
      const key = `${p.gpu}\u0000${p.user}\u0000${p.cmd}`;
      let acc = byKey.get(key);
      if (!acc) {
        acc = { gpu: p.gpu, user: p.user, cmd: p.cmd, samples: 0, memSamples: 0, avgMem: NaN, maxMem: NaN, memSum: 0 };
        byKey.set(key, acc);
      }
      acc.samples += p.samples;
      if (p.memSamples > 0) {
        acc.memSamples += p.memSamples;
        acc.memSum += p.avgMem * p.memSamples;
        if (!(acc.maxMem >= p.maxMem)) acc.maxMem = p.maxMem;
      }
    }
  }
  return [...byKey.values()].map(({ memSum, ...p }) => ({
    ...p,
    avgMem: p.memSamples > 0 ? memSum / p.memSamples : NaN,
  }));
}
