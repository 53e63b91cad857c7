/**
 * A JSON body kept as the pieces it was joined from (a read model's
 * per-host entries between an envelope's brackets and commas), and a stream
 * that sends it a slab at a time.
 *
 * A 10,000-host status body is about 18 MB. Concatenated on every poll, it
 * was one fresh 18 MB allocation (page faults, a copy on the event loop) that
 * the cache then kept for seconds, so each poll left 18 MB of garbage for a
 * full collection to free: with a dashboard polling every 5 s, those
 * collections and joins were where steady ingest's slowest reports waited.
 * Sent in slabs, each is copied as the socket drains and dies young.
 */
import { Readable } from 'node:stream';

/** A body as its pieces, in order, and their total length in bytes. */
export interface JoinedJson {
  parts: readonly Buffer[];
  length: number;
}

/** About how many bytes each slab of a joined body holds (pieces are not split). */
const SLAB_BYTES = 64 * 1024;

/** A stream of `json`'s bytes in slabs of about SLAB_BYTES, each made when the reader asks for more. */
export function joinedStream(json: JoinedJson): Readable {
  let next = 0;
  return new Readable({
    highWaterMark: SLAB_BYTES,
    read() {
      if (next >= json.parts.length) {
        this.push(null);
        return;
      }
      const slab: Buffer[] = [];
      let bytes = 0;
      while (next < json.parts.length && bytes < SLAB_BYTES) {
        const part = json.parts[next++]!;
        slab.push(part);
        bytes += part.length;
      }
      this.push(slab.length === 1 ? slab[0] : Buffer.concat(slab, bytes));
    },
  });
}

/** The whole body in one buffer (tests, and bodies small enough not to matter). */
export function joinedBytes(json: JoinedJson): Buffer {
  return Buffer.concat(json.parts as Buffer[], json.length);
}
