/**
 * Single values of the chunk format: quantized to 1/STEPS of their unit and
 * written as a zigzag varint delta from a base (the previous value of the
 * series, or the bucket's average for its maximum); NaN and values that
 * cannot be quantized have tokens of their own.
 */
import { ByteReader, ByteWriter } from './bytes.js';

/** Quantization steps per unit: values are kept to 1/STEPS of their unit. */
export const STEPS = 100;

/** Largest absolute value the quantized form holds (beyond: float64). */
const LIMIT = 2 ** 50 / STEPS;

/** True for values the quantized form holds (false for NaN, ±Infinity and beyond ±LIMIT). */
export const quantizable = (v: number) => Math.abs(v) < LIMIT; // false for NaN and ±Infinity

/** Writes a value relative to `base` (a quantized value): 0 NaN, 1 float64 follows, else zigzag delta + 2. */
export function writeValue(w: ByteWriter, v: number, base: number): number {
  if (Number.isNaN(v)) {
    w.uint(0);
    return base;
  }
  if (!quantizable(v)) {
    w.uint(1);
    w.float64(v);
    return base;
  }
  const q = Math.round(v * STEPS);
  const d = q - base;
  w.uint((d >= 0 ? d * 2 : -d * 2 - 1) + 2);
  return q;
}

/**
 * Reads `count` values written by writeValue into out[offset + j * stride].
 * `bases` (when given) holds the quantized base of each value (maxima
 * relative to their average); otherwise each value is the base of the next.
 * One tight loop: this is most of what a query spends on a chunk.
 */
export function readValues(
  r: ByteReader,
  out: Float64Array,
  offset: number,
  stride: number,
  count: number,
  bases?: Float64Array,
): void {
  const buf = r.buf;
  let pos = r.pos;
  let q = 0;
  for (let j = 0, at = offset; j < count; j++, at += stride) {
    let b = buf[pos++]!;
    let token = b;
    if (b >= 0x80) {
      b = buf[pos++]!;
      token = (token & 0x7f) | ((b & 0x7f) << 7); // two bytes: most deltas of a noisy series
      if (b >= 0x80) {
        // longer (rare): exact arithmetic
        let scale = 0x4000;
        do {
          b = buf[pos++]!;
          token += (b & 0x7f) * scale;
          scale *= 0x80;
        } while (b >= 0x80);
      }
    }
    if (token === 0) out[at] = NaN;
    else if (token === 1) {
      out[at] = r.view.getFloat64(pos, true);
      pos += 8;
    } else {
      const z = token - 2;
      // Bit operations while z fits 31 bits (nearly always), exact arithmetic beyond.
      const d = z < 0x7fffffff ? ((z & 1) === 0 ? z >>> 1 : -((z + 1) >>> 1)) : z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      if (bases) q = bases[j]! + d;
      else q += d;
      out[at] = q / STEPS;
    }
  }
  if (pos > buf.length) throw new Error('truncated chunk');
  r.pos = pos;
}

/** One value as writeValue wrote it, relative to `base`. */
export function readOne(r: ByteReader, base: number): number {
  const token = r.uint();
  if (token === 0) return NaN;
  if (token === 1) return r.float64();
  const z = token - 2;
  return (base + (z % 2 === 0 ? z / 2 : -(z + 1) / 2)) / STEPS;
}
