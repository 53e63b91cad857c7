/**
 * Variable-length integers for the compact chunk format: small numbers take
 * one byte, which is what quantized deltas mostly are. Plain arithmetic (no
 * 32-bit bit tricks), so every integer up to 2^53 round-trips.
 */

/** Appends bytes to a growing buffer. */
export class ByteWriter {
  private buf = new Uint8Array(1 << 14);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  private ensure(more: number): void {
    if (this.pos + more <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + more));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** A non-negative integer below 2^53. */
  uint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  /** A signed integer, zigzag-mapped so that small magnitudes stay small. */
  int(v: number): void {
    this.uint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  float64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Reserves 4 bytes for a length that patchLength fills in later; returns their position. */
  reserveLength(): number {
    this.ensure(4);
    this.pos += 4;
    return this.pos - 4;
  }

  /** Writes, at `at` (from reserveLength), how many bytes follow those 4. */
  patchLength(at: number): void {
    this.view.setUint32(at, this.pos - at - 4, true);
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/** Reads what ByteWriter wrote. */
export class ByteReader {
  /** Read position; hot loops (readDeltas) read buf directly and move it. */
  pos = 0;
  readonly view: DataView;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  uint(): number {
    let b = this.buf[this.pos++]!;
    if (b < 0x80) return b;
    let v = b & 0x7f;
    let scale = 0x80;
    for (;;) {
      b = this.buf[this.pos++]!;
      if (b === undefined) throw new Error('truncated chunk');
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  }

  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** A length written by ByteWriter.reserveLength / patchLength. */
  length(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  float64(): number {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
}
