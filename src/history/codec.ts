/**
 * Compact row encoding: values as little-endian float32 (7 significant
 * digits, which is more than any agent measures), NaN for "no value".
 * One blob per row keeps a host's report to one small row.
 */

/** Packs numbers as float32. */
export function encodeFloats(values: ArrayLike<number>): Buffer {
  const floats = Float32Array.from(values);
  // Typed arrays are little-endian on every platform Node runs on (x86, ARM).
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
}

/** Unpacks float32 values (copying when the blob is not 4-byte aligned). */
export function decodeFloats(blob: Uint8Array): Float32Array {
  if (blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength >> 2);
  return new Float32Array(Uint8Array.prototype.slice.call(blob).buffer);
}

/** Packs small counts as uint16 (a bucket never holds more than 65,535 reports). */
export function encodeCounts(counts: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(counts.length * 2);
  for (let i = 0; i < counts.length; i++) out.writeUInt16LE(Math.min(counts[i]!, 0xffff), i * 2);
  return out;
}

export function decodeCounts(blob: Uint8Array): number[] {
  const out: number[] = new Array(blob.byteLength >> 1);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint16(i * 2, true);
  return out;
}

/**
 * Rounds a float32 read back to the 7 significant digits it holds
 * (23.399999618 → 23.4). Scaling beats toPrecision by far, and answers
 * round thousands of values.
 */
export function tidy(value: number): number | null {
  if (Number.isNaN(value)) return null;
  if (value === 0 || !Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  // Common case first: a value of 1..10^5 whose hundredths are exact (compacted values) is already tidy.
  if (abs >= 1 && abs < 1e5 && Math.round(value * 100) / 100 === value) return value;
  const decimals = 6 - Math.floor(Math.log10(abs));
  if (decimals <= 0) return Math.round(value);
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
