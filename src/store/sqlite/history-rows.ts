/**
 * Stored history rows to and from the shapes of src/history. GPU processes
 * are float32 tuples pointing at history_procs: raw rows hold
 * [gpu, proc, memMb], rollup rows [gpu, proc, samples, memSamples, avgMem, maxMem].
 */
import { decodeCounts, decodeFloats, encodeFloats } from '../../history/codec.js';
import type { Bucket, HistoryRow, ProcessAggregate } from '../../history/types.js';
import type { HistoryDict } from './history-dict.js';

export interface RawRowData { t: number; layout: number; vals: Buffer; procs: Buffer | null }
export interface RollupRowData { t: number; layout: number; n: number; avg: Buffer; max: Buffer; cnt: Buffer | null; procs: Buffer | null }

// Values widened to Float64Array, like the rows of compacted chunks: the folding loops then see one array type.
export function rawToRow(dict: HistoryDict, r: RawRowData): HistoryRow {
  const vals = Float64Array.from(decodeFloats(r.vals));
  return { t: r.t, keys: dict.layout(r.layout), n: 1, avg: vals, max: vals, cnt: null };
}

export function rollupToRow(dict: HistoryDict, r: RollupRowData): HistoryRow {
  return {
    t: r.t, keys: dict.layout(r.layout), n: r.n,
    avg: Float64Array.from(decodeFloats(r.avg)), max: Float64Array.from(decodeFloats(r.max)), cnt: r.cnt ? decodeCounts(r.cnt) : null,
  };
}

/** Raw process tuples, from a head row's blob or a decoded chunk row. */
export function rawProcesses(dict: HistoryDict, blob: Buffer | ArrayLike<number> | null): ProcessAggregate[] {
  if (!blob) return [];
  const f = blob instanceof Uint8Array ? decodeFloats(blob) : blob;
  const out: ProcessAggregate[] = [];
  for (let i = 0; i + 2 < f.length; i += 3) {
    const mem = f[i + 2]!;
    const known = !Number.isNaN(mem);
    out.push({ gpu: f[i]!, ...dict.proc(f[i + 1]!), samples: 1, memSamples: known ? 1 : 0, avgMem: mem, maxMem: mem });
  }
  return out;
}

/** Bucket process tuples, from a head row's blob or a decoded chunk row. */
export function rollupProcesses(dict: HistoryDict, blob: Buffer | ArrayLike<number> | null): ProcessAggregate[] {
  if (!blob) return [];
  const f = blob instanceof Uint8Array ? decodeFloats(blob) : blob;
  const out: ProcessAggregate[] = [];
  for (let i = 0; i + 5 < f.length; i += 6) {
    out.push({ gpu: f[i]!, ...dict.proc(f[i + 1]!), samples: f[i + 2]!, memSamples: f[i + 3]!, avgMem: f[i + 4]!, maxMem: f[i + 5]! });
  }
  return out;
}

export function encodeRollupProcesses(dict: HistoryDict, list: readonly ProcessAggregate[]): Buffer | null {
  if (list.length === 0) return null;
  return encodeFloats(list.flatMap((p) => [p.gpu, dict.procId(p.user, p.cmd), p.samples, p.memSamples, p.avgMem, p.maxMem]));
}

/** A bucket's value columns; max is stored even where it equals avg, so reads stay one shape. */
export function encodeBucket(bucket: Bucket): { avg: Buffer; max: Buffer } {
  return { avg: encodeFloats(bucket.avg), max: encodeFloats(bucket.max) };
}
