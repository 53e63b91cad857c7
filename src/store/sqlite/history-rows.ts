/**
 * Stored history rows to and from the shapes of src/history. Values are
 * float32 blobs (src/history/codec.ts). GPU processes are flat tuples
 * pointing at history_procs: raw rows hold [gpu, proc, memMb], rollup rows
 * [gpu, proc, samples, memSamples, avgMem, maxMem].
 *
 * A process blob starts with a format byte (1), then 4 bytes per slot: the
 * proc id as uint32 and the other slots as float32. Blobs written before
 * the format byte were float32 throughout (their length a multiple of 4,
 * which a format byte never leaves); they still decode, exactly for ids
 * below 2^24 (larger ones were rounded when written, past recovery).
 */
import { decodeCounts, decodeFloats, encodeFloats } from '../../history/codec.js';
import type { Bucket, HistoryRow, ProcessAggregate } from '../../history/types.js';
import type { HistoryDict } from './history-dict.js';
import type { RawRowData, RollupRowData } from './history-statements.js';

/** Slots per process tuple. */
export const RAW_TUPLE = 3;
export const ROLLUP_TUPLE = 6;
const INT_IDS = 1;
/** Slot of the proc id within a tuple. */
const ID_SLOT = 1;

// Values widened to Float64Array, like the rows of compacted chunks: the folding loops then see one array type.
export function rawToRow(dict: HistoryDict, r: RawRowData): HistoryRow {
  const vals = Float64Array.from(decodeFloats(r.vals));
  return { t: r.t, keys: dict.layout(r.layout), n: 1, avg: vals, max: vals, cnt: null };
}

export function rollupToRow(dict: HistoryDict, r: RollupRowData): HistoryRow {
  return {
    t: r.t,
    keys: dict.layout(r.layout),
    n: r.n,
    avg: Float64Array.from(decodeFloats(r.avg)),
    max: Float64Array.from(decodeFloats(r.max)),
    cnt: r.cnt ? decodeCounts(r.cnt) : null,
  };
}

/** Flat process tuples as a blob; null for none. Ids must fit 32 bits (a larger one throws rather than point elsewhere). */
export function encodeProcs(flat: ArrayLike<number>, tuple: number): Buffer | null {
  if (flat.length === 0) return null;
  const out = Buffer.allocUnsafe(1 + flat.length * 4);
  out[0] = INT_IDS;
  for (let i = 0; i < flat.length; i++) {
    if (i % tuple === ID_SLOT) out.writeUInt32LE(flat[i]!, 1 + i * 4);
    else out.writeFloatLE(flat[i]!, 1 + i * 4);
  }
  return out;
}

/** The flat tuples of a process blob, of either format. */
export function decodeProcs(blob: Uint8Array, tuple: number): ArrayLike<number> {
  if (blob.length % 4 === 0) return decodeFloats(blob); // written before the format byte
  const view = new DataView(blob.buffer, blob.byteOffset + 1, blob.byteLength - 1);
  const out = new Array<number>(view.byteLength >> 2);
  for (let i = 0; i < out.length; i++)
    out[i] = i % tuple === ID_SLOT ? view.getUint32(i * 4, true) : view.getFloat32(i * 4, true);
  return out;
}

/** Raw process tuples, from a head row's blob or a decoded chunk row. */
export function rawProcesses(dict: HistoryDict, procs: Buffer | ArrayLike<number> | null): ProcessAggregate[] {
  if (!procs) return [];
  const f = procs instanceof Uint8Array ? decodeProcs(procs, RAW_TUPLE) : procs;
  const out: ProcessAggregate[] = [];
  for (let i = 0; i + 2 < f.length; i += RAW_TUPLE) {
    const mem = f[i + 2]!;
    const known = !Number.isNaN(mem);
    out.push({ gpu: f[i]!, ...dict.proc(f[i + 1]!), samples: 1, memSamples: known ? 1 : 0, avgMem: mem, maxMem: mem });
  }
  return out;
}

/** Bucket process tuples, from a head row's blob or a decoded chunk row. */
export function rollupProcesses(dict: HistoryDict, procs: Buffer | ArrayLike<number> | null): ProcessAggregate[] {
  if (!procs) return [];
  const f = procs instanceof Uint8Array ? decodeProcs(procs, ROLLUP_TUPLE) : procs;
  const out: ProcessAggregate[] = [];
  for (let i = 0; i + 5 < f.length; i += ROLLUP_TUPLE) {
    out.push({
      gpu: f[i]!,
      ...dict.proc(f[i + 1]!),
      samples: f[i + 2]!,
      memSamples: f[i + 3]!,
      avgMem: f[i + 4]!,
      maxMem: f[i + 5]!,
    });
  }
  return out;
}

/** A bucket's processes as flat tuples, with their names in the dictionary. */
export function rollupTuples(dict: HistoryDict, list: readonly ProcessAggregate[]): number[] {
  return list.flatMap((p) => [p.gpu, dict.procId(p.user, p.cmd), p.samples, p.memSamples, p.avgMem, p.maxMem]);
}

/** A bucket's value columns; max is stored even where it equals avg, so reads stay one shape. */
export function encodeBucket(bucket: Bucket): { avg: Buffer; max: Buffer } {
  return { avg: encodeFloats(bucket.avg), max: encodeFloats(bucket.max) };
}
