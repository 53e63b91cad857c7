/**
 * Compacted history: the rows of one host, tier and span in one blob
 * (src/history/chunk-codec.ts). Rows live either in a chunk or as single
 * rows in history_raw / history_rollup ("head" rows), never both: changing a
 * compacted span (a late report, a rebuilt bucket) first turns its chunk
 * back into head rows, and the background job compacts it again later.
 */
import type Database from 'better-sqlite3';
import { decodeChunk, encodeChunk, type ChunkRow } from '../../history/chunk-codec.js';
import { decodeCounts, decodeFloats, encodeCounts, encodeFloats } from '../../history/codec.js';
import { bucketStart, chunkSpan, type Tier } from '../../history/tiers.js';
import type { HistoryDict } from './history-dict.js';

interface HeadRaw { t: number; layout: number; vals: Buffer; procs: Buffer | null }
interface HeadRollup { t: number; layout: number; n: number; avg: Buffer; max: Buffer; cnt: Buffer | null; procs: Buffer | null }

export class HistoryChunks {
  private readonly stmt;
  private readonly layout: (id: number) => readonly string[];

  constructor(db: Database.Database, private readonly dict: HistoryDict) {
    this.layout = (id) => dict.layout(id);
    this.stmt = {
      get: db.prepare<[number, number, number], { data: Buffer }>('SELECT data FROM history_chunk WHERE host_id = ? AND tier = ? AND t = ?'),
      exists: db.prepare<[number, number, number], { one: number }>('SELECT 1 AS one FROM history_chunk WHERE host_id = ? AND tier = ? AND t = ?'),
      range: db.prepare<[number, number, number, number], { data: Buffer }>(
        'SELECT data FROM history_chunk WHERE host_id = ? AND tier = ? AND t > ? AND t <= ? ORDER BY t'),
      first: db.prepare<[number, number, number], { t: number | null }>('SELECT min(t) AS t FROM history_chunk WHERE host_id = ? AND tier = ? AND t > ?'),
      put: db.prepare('INSERT OR REPLACE INTO history_chunk (host_id, tier, t, data) VALUES (?, ?, ?, ?)'),
      remove: db.prepare('DELETE FROM history_chunk WHERE host_id = ? AND tier = ? AND t = ?'),
      expire: db.prepare('DELETE FROM history_chunk WHERE host_id = ? AND tier = ? AND t <= ?'),
      removeHost: db.prepare('DELETE FROM history_chunk WHERE host_id = ?'),
      nextTier: db.prepare<[number, number], { tier: number }>('SELECT tier FROM history_chunk WHERE host_id = ? AND tier > ? ORDER BY tier LIMIT 1'),
      dropTier: db.prepare('DELETE FROM history_chunk WHERE host_id = ? AND tier = ?'),
      headRaw: db.prepare<[number, number, number], HeadRaw>(
        'SELECT t, layout, vals, procs FROM history_raw WHERE host_id = ? AND t >= ? AND t <= ? ORDER BY t'),
      headRollup: db.prepare<[number, number, number, number], HeadRollup>(
        'SELECT t, layout, n, avg, max, cnt, procs FROM history_rollup WHERE host_id = ? AND tier = ? AND t >= ? AND t <= ? ORDER BY t'),
      putRaw: db.prepare('INSERT OR REPLACE INTO history_raw (host_id, t, layout, vals, procs) VALUES (?, ?, ?, ?, ?)'),
      putRollup: db.prepare('INSERT OR REPLACE INTO history_rollup (host_id, tier, t, layout, n, avg, max, cnt, procs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      dropRaw: db.prepare('DELETE FROM history_raw WHERE host_id = ? AND t >= ? AND t <= ?'),
      dropRollup: db.prepare('DELETE FROM history_rollup WHERE host_id = ? AND tier = ? AND t >= ? AND t <= ?'),
      firstRaw: db.prepare<[number], { t: number | null }>('SELECT min(t) AS t FROM history_raw WHERE host_id = ?'),
      firstRollup: db.prepare<[number, number], { t: number | null }>('SELECT min(t) AS t FROM history_rollup WHERE host_id = ? AND tier = ?'),
    };
  }

  /** Decoded rows of the chunks overlapping [from, to], filtered to that range, oldest first (procs only `withProcs`, series only `wanted`). */
  read(hostId: number, tier: Tier, from: number, to: number, withProcs: boolean, wanted?: (key: string) => boolean): ChunkRow[] {
    const out: ChunkRow[] = [];
    for (const { data } of this.stmt.range.all(hostId, tier.width, from - chunkSpan(tier), to)) {
      for (const row of decodeChunk(data, this.layout, withProcs, wanted)) if (row.t >= from && row.t <= to) out.push(row);
    }
    return out;
  }

  /** The start of the earliest chunk that holds rows at or after `from` (clamped to from), or undefined. */
  firstTime(hostId: number, tier: Tier, from: number): number | undefined {
    const t = this.stmt.first.get(hostId, tier.width, from - chunkSpan(tier))?.t;
    return t === null || t === undefined ? undefined : Math.max(t, from);
  }

  /** The earliest head (not yet compacted) row time of a host in a tier. */
  firstHead(hostId: number, tier: Tier): number | undefined {
    const t = tier.width === 0 ? this.stmt.firstRaw.get(hostId)?.t : this.stmt.firstRollup.get(hostId, tier.width)?.t;
    return t ?? undefined;
  }

  /** Turns the chunk holding time t (if compacted) back into head rows; true when there was one. */
  explode(hostId: number, tier: Tier, t: number): boolean {
    const start = bucketStart(t, chunkSpan(tier));
    if (!this.stmt.exists.get(hostId, tier.width, start)) return false;
    const rows = decodeChunk(this.stmt.get.get(hostId, tier.width, start)!.data, this.layout);
    for (const row of rows) {
      const procs = row.procs ? encodeFloats(row.procs) : null;
      if (tier.width === 0) this.stmt.putRaw.run(hostId, row.t, row.layout, encodeFloats(row.avg), procs);
      else {
        this.stmt.putRollup.run(hostId, tier.width, row.t, row.layout, row.n, encodeFloats(row.avg), encodeFloats(row.max),
          row.cnt ? encodeCounts(row.cnt) : null, procs);
      }
    }
    this.stmt.remove.run(hostId, tier.width, start);
    return true;
  }

  /** Moves the head rows of the span starting at `start` into one chunk. */
  compact(hostId: number, tier: Tier, start: number): void {
    this.explode(hostId, tier, start); // normally absent; merging keeps the span whole
    const end = start + chunkSpan(tier) - 1;
    const rows: ChunkRow[] = tier.width === 0
      ? this.stmt.headRaw.all(hostId, start, end).map((r) => {
        const vals = decodeFloats(r.vals);
        return { t: r.t, layout: r.layout, keys: this.layout(r.layout), n: 1, avg: vals, max: vals, cnt: null, procs: r.procs && decodeFloats(r.procs) };
      })
      : this.stmt.headRollup.all(hostId, tier.width, start, end).map((r) => ({
        t: r.t, layout: r.layout, keys: this.layout(r.layout), n: r.n, avg: decodeFloats(r.avg), max: decodeFloats(r.max),
        cnt: r.cnt ? decodeCounts(r.cnt) : null, procs: r.procs && decodeFloats(r.procs),
      }));
    if (rows.length === 0) return;
    const union = unionKeys(rows);
    this.stmt.put.run(hostId, tier.width, start, encodeChunk({ rows, union: { id: this.dict.layoutId(union), keys: union }, rollup: tier.width > 0 }));
    if (tier.width === 0) this.stmt.dropRaw.run(hostId, start, end);
    else this.stmt.dropRollup.run(hostId, tier.width, start, end);
  }

  /** Drops the chunks that end at or before `cutoff`. */
  expire(hostId: number, tier: Tier, cutoff: number): void {
    this.stmt.expire.run(hostId, tier.width, cutoff - chunkSpan(tier));
  }

  /** Drops chunks of tier widths not in `widths` (the tier list changed). */
  dropOtherTiers(hostId: number, widths: ReadonlySet<number>): void {
    for (let row = this.stmt.nextTier.get(hostId, -1); row; row = this.stmt.nextTier.get(hostId, row.tier)) {
      if (!widths.has(row.tier)) this.stmt.dropTier.run(hostId, row.tier);
    }
  }

  deleteHost(hostId: number): void {
    this.stmt.removeHost.run(hostId);
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
