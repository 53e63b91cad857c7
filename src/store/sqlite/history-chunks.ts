/**
 * Compacted history: the rows of one host, tier and span in one blob
 * (src/history/chunk-codec.ts). Rows live either in a chunk or as single
 * rows in history_raw / history_rollup ("head" rows), never both: changing a
 * compacted span (a late report, a rebuilt bucket) first turns its chunk
 * back into head rows, and maintenance compacts it again later.
 */
import { decodeChunk, encodeChunk, type ChunkRow } from '../../history/chunk-codec.js';
import { decodeCounts, decodeFloats, encodeCounts, encodeFloats } from '../../history/codec.js';
import { bucketStart, chunkSpan, type Tier } from '../../history/tiers.js';
import type { HistoryDict } from './history-dict.js';
import { decodeProcs, encodeProcs, RAW_TUPLE, ROLLUP_TUPLE } from './history-rows.js';
import type { HistoryStatements } from './history-statements.js';

export class HistoryChunks {
  private readonly layout: (id: number) => readonly string[];

  constructor(
    private readonly stmt: HistoryStatements,
    private readonly dict: HistoryDict,
  ) {
    this.layout = (id) => dict.layout(id);
  }

  /** Decoded rows of the chunks overlapping [from, to], filtered to that range, oldest first (procs only `withProcs`, series only `wanted`). */
  read(
    hostId: number,
    tier: Tier,
    from: number,
    to: number,
    withProcs: boolean,
    wanted?: (key: string) => boolean,
  ): ChunkRow[] {
    const out: ChunkRow[] = [];
    for (const { data } of this.stmt.chunks.all(hostId, tier.width, from - chunkSpan(tier), to)) {
      for (const row of decodeChunk(data, this.layout, withProcs, wanted))
        if (row.t >= from && row.t <= to) out.push(row);
    }
    return out;
  }

  /** The start of the earliest chunk that holds rows at or after `from` (clamped to from), or undefined. */
  firstTime(hostId: number, tier: Tier, from: number): number | undefined {
    const t = this.stmt.firstChunk.get(hostId, tier.width, from - chunkSpan(tier))?.t;
    return t === null || t === undefined ? undefined : Math.max(t, from);
  }

  /** Turns the chunk holding time t (if compacted) back into head rows; true when there was one. */
  explode(hostId: number, tier: Tier, t: number): boolean {
    const start = bucketStart(t, chunkSpan(tier));
    const chunk = this.stmt.chunk.get(hostId, tier.width, start);
    if (!chunk) return false;
    for (const row of decodeChunk(chunk.data, this.layout)) {
      if (tier.width === 0)
        this.stmt.putRaw.run(
          hostId,
          row.t,
          row.layout,
          encodeFloats(row.avg),
          row.procs && encodeProcs(row.procs, RAW_TUPLE),
        );
      else {
        this.stmt.putRollup.run(
          hostId,
          tier.width,
          row.t,
          row.layout,
          row.n,
          encodeFloats(row.avg),
          encodeFloats(row.max),
          row.cnt ? encodeCounts(row.cnt) : null,
          row.procs && encodeProcs(row.procs, ROLLUP_TUPLE),
        );
      }
    }
    this.stmt.removeChunk.run(hostId, tier.width, start);
    return true;
  }

  /** Moves the head rows of the span starting at `start` into one chunk. */
  compact(hostId: number, tier: Tier, start: number): void {
    this.explode(hostId, tier, start); // normally absent; merging keeps the span whole
    const end = start + chunkSpan(tier) - 1;
    const rows: ChunkRow[] =
      tier.width === 0
        ? this.stmt.raw.all(hostId, start, end).map((r) => {
            const vals = decodeFloats(r.vals);
            return {
              t: r.t,
              layout: r.layout,
              keys: this.layout(r.layout),
              n: 1,
              avg: vals,
              max: vals,
              cnt: null,
              procs: r.procs && decodeProcs(r.procs, RAW_TUPLE),
            };
          })
        : this.stmt.rollup.all(hostId, tier.width, start, end).map((r) => ({
            t: r.t,
            layout: r.layout,
            keys: this.layout(r.layout),
            n: r.n,
            avg: decodeFloats(r.avg),
            max: decodeFloats(r.max),
            cnt: r.cnt ? decodeCounts(r.cnt) : null,
            procs: r.procs && decodeProcs(r.procs, ROLLUP_TUPLE),
          }));
    if (rows.length === 0) return;
    const union = unionKeys(rows);
    this.stmt.putChunk.run(
      hostId,
      tier.width,
      start,
      encodeChunk({ rows, union: { id: this.dict.layoutId(union), keys: union }, rollup: tier.width > 0 }),
    );
    if (tier.width === 0) this.stmt.dropRaw.run(hostId, start, end);
    else this.stmt.dropRollup.run(hostId, tier.width, start, end);
  }

  /** Drops the chunks that end at or before `cutoff`. */
  expire(hostId: number, tier: Tier, cutoff: number): void {
    this.stmt.expireChunks.run(hostId, tier.width, cutoff - chunkSpan(tier));
  }

  /** Drops chunks of tier widths not in `widths` (the tier list changed). */
  dropOtherTiers(hostId: number, widths: ReadonlySet<number>): void {
    for (let row = this.stmt.nextChunkTier.get(hostId, -1); row; row = this.stmt.nextChunkTier.get(hostId, row.tier)) {
      if (!widths.has(row.tier)) this.stmt.dropChunkTier.run(hostId, row.tier);
    }
  }
}

/** Every key of the rows, in first-seen order. */
function unionKeys(rows: readonly ChunkRow[]): string[] {
  const seen = new Set<string>();
  let last: readonly string[] | undefined;
  for (const row of rows) {
    if (row.keys === last) continue;
    last = row.keys;
    for (const k of row.keys) seen.add(k);
  }
  return [...seen];
}
