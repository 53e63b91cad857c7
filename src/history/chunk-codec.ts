/**
 * The compact form of old history: the rows of one host, one tier and one
 * span of time (a "chunk") in one blob. Values are stored column by column
 * (a series' values side by side), quantized to hundredths of their unit and
 * delta-encoded as variable-length integers, then deflated; long runs of
 * equal values cost next to nothing. Per-series sample counts are stored only
 * where they differ from the row's count. Each row keeps its own layout, so
 * decoding gives back exactly the keys the rows had.
 *
 * Precision: a value v is kept as round(v × 100) / 100, so it is off by at
 * most 0.005 of its unit (agent values with two decimals come back exact).
 * Values that cannot be quantized (beyond ±10^13) are kept as float64.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ByteReader, ByteWriter } from './bytes.js';
import { quantizable, readOne, readValues, STEPS, writeValue } from './chunk-values.js';
import type { HistoryRow } from './types.js';

export { STEPS } from './chunk-values.js';

/** 2: each series' bytes are preceded by their length, so a reader can skip the series it does not want. */
const FORMAT = 2;

/** A stored row plus what the chunk keeps besides values: its layout id and GPU process tuples. */
export interface ChunkRow extends HistoryRow {
  /** Layout id (history_layouts) of `keys`. */
  layout: number;
  /** Flat GPU process tuples: [gpu, proc, memMb] per raw row, [gpu, proc, samples, memSamples, avgMem, maxMem] per bucket. */
  procs: ArrayLike<number> | null;
}

/** Rows of one chunk; `rollup` says whether they are buckets (n, max, counts) or raw reports. */
export interface ChunkContent {
  rows: readonly ChunkRow[];
  /** Every key of the rows, in first-seen order, and its layout id. */
  union: { id: number; keys: readonly string[] };
  rollup: boolean;
}

/** Union positions of each layout's keys. */
function slotMaps(union: readonly string[]): (keys: readonly string[]) => Int32Array {
  const position = new Map(union.map((k, i) => [k, i]));
  const cache = new Map<readonly string[], Int32Array>();
  return (keys) => {
    let slots = cache.get(keys);
    if (!slots) {
      slots = Int32Array.from(keys, (k) => position.get(k) ?? -1);
      cache.set(keys, slots);
    }
    return slots;
  };
}

/** Encodes and deflates a chunk. Rows must be in ascending time. */
export function encodeChunk(content: ChunkContent): Buffer {
  const { rows, union, rollup } = content;
  const K = union.keys.length;
  const R = rows.length;
  const w = new ByteWriter();
  w.uint(FORMAT);
  w.uint(rollup ? 1 : 0);
  w.uint(R);
  w.uint(union.id);
  w.uint(K);
  let prevT = 0;
  for (const row of rows) {
    w.uint(row.t - prevT);
    prevT = row.t;
  }
  for (const row of rows) w.uint(row.layout);
  if (rollup) for (const row of rows) w.uint(row.n);
  const slotsOf = slotMaps(union.keys);
  const avg = new Float64Array(K * R).fill(NaN);
  const max = rollup ? new Float64Array(K * R).fill(NaN) : avg;
  const cntDiff = new Float64Array(K * R);
  let anyCnt = false;
  rows.forEach((row, j) => {
    const slots = slotsOf(row.keys);
    for (let i = 0; i < slots.length; i++) {
      const at = slots[i]! * R + j; // column-major
      avg[at] = row.avg[i]!;
      if (rollup) max[at] = row.max[i]!;
      if (row.cnt) {
        const derived = Number.isNaN(row.avg[i]!) ? 0 : row.n;
        cntDiff[at] = derived - row.cnt[i]!;
        if (cntDiff[at] !== 0) anyCnt = true;
      }
    }
  });
  for (let c = 0; c < K; c++) {
    const at = w.reserveLength();
    let base = 0;
    for (let j = 0; j < R; j++) base = writeValue(w, avg[c * R + j]!, base);
    if (rollup) {
      // Maxima relative to their average: 0 where they agree (a single sample, a flat series).
      for (let j = 0; j < R; j++) {
        const a = avg[c * R + j]!;
        writeValue(w, max[c * R + j]!, quantizable(a) ? Math.round(a * STEPS) : 0);
      }
    }
    w.patchLength(at);
  }
  w.uint(anyCnt ? 1 : 0);
  if (anyCnt) for (let k = 0; k < K * R; k++) w.int(cntDiff[k]!);
  const tuple = rollup ? 6 : 3;
  for (const row of rows) {
    const p = row.procs;
    const count = p ? Math.floor(p.length / tuple) : 0;
    w.uint(count);
    for (let i = 0; i < count * tuple; i += tuple) {
      w.uint(p![i]!);
      w.uint(p![i + 1]!); // gpu index, process name id
      if (rollup) {
        w.uint(p![i + 2]!);
        w.uint(p![i + 3]!);
      }
      const mem = writeValue(w, p![i + tuple - (rollup ? 2 : 1)]!, 0);
      if (rollup) writeValue(w, p![i + 5]!, quantizable(p![i + 4]!) ? mem : 0);
    }
  }
  return deflateRawSync(w.bytes());
}

/**
 * Inflates and decodes a chunk; `layout` turns layout ids into key arrays
 * (the same array per id). Without `withProcs` the GPU processes are not
 * read (procs is null), which queries of values do not need. With `wanted`,
 * only the series it accepts are decoded and the rows carry only those keys
 * (the others are skipped unread: an answer wants a few of a host's series).
 */
export function decodeChunk(
  blob: Uint8Array,
  layout: (id: number) => readonly string[],
  withProcs = true,
  wanted?: (key: string) => boolean,
): ChunkRow[] {
  const r = new ByteReader(inflateRawSync(blob));
  if (r.uint() !== FORMAT) throw new Error('unknown history chunk format');
  const rollup = r.uint() === 1;
  const R = r.uint();
  const unionId = r.uint();
  const unionAll = layout(unionId);
  if (r.uint() !== unionAll.length) throw new Error('history chunk does not match its layout');
  const ts = new Array<number>(R);
  let t = 0;
  for (let j = 0; j < R; j++) {
    t += r.uint();
    ts[j] = t;
  }
  const layouts = new Array<number>(R);
  for (let j = 0; j < R; j++) layouts[j] = r.uint();
  const ns = new Array<number>(R).fill(1);
  if (rollup) for (let j = 0; j < R; j++) ns[j] = r.uint();
  const kept = wanted ? unionAll.map((k) => wanted(k)) : undefined;
  const union = kept ? unionAll.filter((_, c) => kept[c]) : unionAll;
  const K = union.length;
  // Row-major matrices, so a row whose layout is the union's is a plain view.
  const avg = new Float64Array(R * K);
  const max = rollup ? new Float64Array(R * K) : avg;
  const bases = rollup ? new Float64Array(R) : undefined;
  for (let c = 0, out = 0; c < unionAll.length; c++) {
    const length = r.length();
    if (kept && !kept[c]) {
      r.pos += length;
      continue;
    }
    readValues(r, avg, out, K, R);
    if (bases) {
      for (let j = 0; j < R; j++) {
        const a = avg[j * K + out]!;
        bases[j] = quantizable(a) ? Math.round(a * STEPS) : 0;
      }
      readValues(r, max, out, K, R, bases);
    }
    out++;
  }
  let cntDiff: Float64Array | undefined;
  if (r.uint() === 1) {
    // Stored for every series; keep the wanted ones, in union order.
    cntDiff = new Float64Array(K * R);
    for (let c = 0, out = 0; c < unionAll.length; c++) {
      const keep = !kept || kept[c];
      for (let j = 0; j < R; j++) {
        const v = r.int();
        if (keep) cntDiff[out * R + j] = v;
      }
      if (keep) out++;
    }
  }
  const slotsOf = slotMaps(union);
  // Per layout id: its keys (filtered like the union) and whether they are the union's, in order.
  const rowLayouts = new Map<number, { keys: readonly string[]; isUnion: boolean }>();
  const layoutOf = (id: number) => {
    let l = rowLayouts.get(id);
    if (!l) {
      const all = layout(id);
      const keys = wanted ? all.filter((k) => wanted(k)) : all;
      l = { keys, isUnion: keys.length === K && keys.every((k, i) => k === union[i]) };
      rowLayouts.set(id, l);
    }
    return l;
  };
  const tuple = rollup ? 6 : 3;
  const m: Matrices = { ts, ns, avg, max, cntDiff, K, R };
  const rows: ChunkRow[] = new Array(R);
  for (let j = 0; j < R; j++) {
    const { keys, isUnion } = layoutOf(layouts[j]!);
    let procs: number[] | null = null;
    const count = withProcs ? r.uint() : 0;
    if (count > 0) {
      procs = new Array<number>(count * tuple);
      for (let i = 0; i < count * tuple; i += tuple) {
        procs[i] = r.uint();
        procs[i + 1] = r.uint();
        if (rollup) {
          procs[i + 2] = r.uint();
          procs[i + 3] = r.uint();
        }
        const mem = readOne(r, 0);
        procs[i + tuple - (rollup ? 2 : 1)] = mem;
        if (rollup) procs[i + 5] = readOne(r, quantizable(mem) ? Math.round(mem * STEPS) : 0);
      }
    }
    rows[j] = rowOf(j, keys, isUnion, slotsOf, m, procs, layouts[j]!);
  }
  return rows;
}

interface Matrices {
  ts: number[];
  ns: number[];
  avg: Float64Array;
  max: Float64Array;
  cntDiff: Float64Array | undefined;
  K: number;
  R: number;
}

function rowOf(
  j: number,
  keys: readonly string[],
  isUnion: boolean,
  slotsOf: (keys: readonly string[]) => Int32Array,
  m: Matrices,
  procs: number[] | null,
  layoutId: number,
): ChunkRow {
  const { K, R } = m;
  let avg: Float64Array;
  let max: Float64Array;
  const slots = slotsOf(keys);
  if (isUnion) {
    avg = m.avg.subarray(j * K, (j + 1) * K);
    max = m.max === m.avg ? avg : m.max.subarray(j * K, (j + 1) * K);
  } else {
    avg = Float64Array.from(slots, (s) => m.avg[j * K + s]!);
    max = m.max === m.avg ? avg : Float64Array.from(slots, (s) => m.max[j * K + s]!);
  }
  let cnt: number[] | null = null;
  const n = m.ns[j]!;
  if (m.cntDiff && slots.some((s) => m.cntDiff![s * R + j] !== 0)) {
    cnt = Array.from(slots, (s, i) => (Number.isNaN(avg[i]!) ? 0 : n) - m.cntDiff![s * R + j]!);
  }
  return { t: m.ts[j]!, keys, n, avg, max, cnt, layout: layoutId, procs };
}
