/**
 * Every statement on the history tables (schema.ts) but the dictionaries'
 * (history-dict.ts), each written once and prepared once per connection.
 * Uncompacted ("head") rows live in history_raw and history_rollup,
 * compacted spans in history_chunk (history-chunks.ts).
 */
import type Database from 'better-sqlite3';

/** A head raw row as stored (history-rows.ts decodes it). */
export interface RawRowData {
  t: number;
  layout: number;
  vals: Buffer;
  procs: Buffer | null;
}
/** A head rollup row as stored. */
export interface RollupRowData {
  t: number;
  layout: number;
  n: number;
  avg: Buffer;
  max: Buffer;
  cnt: Buffer | null;
  procs: Buffer | null;
}

type Range = [hostId: number, from: number, to: number];
type TierRange = [hostId: number, tier: number, from: number, to: number];
type MinT = { t: number | null };

export function prepareHistoryStatements(db: Database.Database) {
  return {
    raw: db.prepare<Range, RawRowData>(
      'SELECT t, layout, vals, procs FROM history_raw WHERE host_id = ? AND t >= ? AND t <= ? ORDER BY t',
    ),
    rawValues: db.prepare<Range, RawRowData>(
      'SELECT t, layout, vals, NULL AS procs FROM history_raw WHERE host_id = ? AND t >= ? AND t <= ? ORDER BY t',
    ),
    rollup: db.prepare<TierRange, RollupRowData>(
      'SELECT t, layout, n, avg, max, cnt, procs FROM history_rollup WHERE host_id = ? AND tier = ? AND t >= ? AND t <= ? ORDER BY t',
    ),
    rollupValues: db.prepare<TierRange, RollupRowData>(
      'SELECT t, layout, n, avg, max, cnt, NULL AS procs FROM history_rollup WHERE host_id = ? AND tier = ? AND t >= ? AND t <= ? ORDER BY t',
    ),
    putRaw: db.prepare<[number, number, number, Buffer, Buffer | null]>(
      'INSERT OR REPLACE INTO history_raw (host_id, t, layout, vals, procs) VALUES (?, ?, ?, ?, ?)',
    ),
    putRollup: db.prepare<[number, number, number, number, number, Buffer, Buffer, Buffer | null, Buffer | null]>(
      'INSERT OR REPLACE INTO history_rollup (host_id, tier, t, layout, n, avg, max, cnt, procs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    removeRollup: db.prepare<[number, number, number]>(
      'DELETE FROM history_rollup WHERE host_id = ? AND tier = ? AND t = ?',
    ),
    dropRaw: db.prepare<Range>('DELETE FROM history_raw WHERE host_id = ? AND t >= ? AND t <= ?'),
    dropRollup: db.prepare<TierRange>(
      'DELETE FROM history_rollup WHERE host_id = ? AND tier = ? AND t >= ? AND t <= ?',
    ),
    firstRaw: db.prepare<[number, number], MinT>('SELECT min(t) AS t FROM history_raw WHERE host_id = ? AND t >= ?'),
    firstRollup: db.prepare<[number, number, number], MinT>(
      'SELECT min(t) AS t FROM history_rollup WHERE host_id = ? AND tier = ? AND t >= ?',
    ),
    expireRaw: db.prepare<[number, number]>('DELETE FROM history_raw WHERE host_id = ? AND t < ?'),
    expireRollup: db.prepare<[number, number, number]>(
      'DELETE FROM history_rollup WHERE host_id = ? AND tier = ? AND t < ?',
    ),
    // Tiers found by seeking from width to width, so a host's millions of rows are never scanned.
    nextRollupTier: db.prepare<[number, number], { tier: number }>(
      'SELECT tier FROM history_rollup WHERE host_id = ? AND tier > ? ORDER BY tier LIMIT 1',
    ),
    dropRollupTier: db.prepare<[number, number]>('DELETE FROM history_rollup WHERE host_id = ? AND tier = ?'),

    chunk: db.prepare<[number, number, number], { data: Buffer }>(
      'SELECT data FROM history_chunk WHERE host_id = ? AND tier = ? AND t = ?',
    ),
    chunks: db.prepare<TierRange, { data: Buffer }>(
      'SELECT data FROM history_chunk WHERE host_id = ? AND tier = ? AND t > ? AND t <= ? ORDER BY t',
    ),
    firstChunk: db.prepare<[number, number, number], MinT>(
      'SELECT min(t) AS t FROM history_chunk WHERE host_id = ? AND tier = ? AND t > ?',
    ),
    putChunk: db.prepare<[number, number, number, Buffer]>(
      'INSERT OR REPLACE INTO history_chunk (host_id, tier, t, data) VALUES (?, ?, ?, ?)',
    ),
    removeChunk: db.prepare<[number, number, number]>(
      'DELETE FROM history_chunk WHERE host_id = ? AND tier = ? AND t = ?',
    ),
    expireChunks: db.prepare<[number, number, number]>(
      'DELETE FROM history_chunk WHERE host_id = ? AND tier = ? AND t <= ?',
    ),
    nextChunkTier: db.prepare<[number, number], { tier: number }>(
      'SELECT tier FROM history_chunk WHERE host_id = ? AND tier > ? ORDER BY tier LIMIT 1',
    ),
    dropChunkTier: db.prepare<[number, number]>('DELETE FROM history_chunk WHERE host_id = ? AND tier = ?'),

    watermark: db.prepare<[number], { doneUntil: number; hostCursor: number }>(
      'SELECT done_until AS doneUntil, host_cursor AS hostCursor FROM history_state WHERE tier = ?',
    ),
    setWatermark: db.prepare<[number, number, number]>(
      'INSERT OR REPLACE INTO history_state (tier, done_until, host_cursor) VALUES (?, ?, ?)',
    ),
    dirty: db.prepare<[number], { hostId: number; tierWidth: number; start: number }>(
      'SELECT host_id AS hostId, tier AS tierWidth, t AS start FROM history_dirty ORDER BY tier, t LIMIT ?',
    ),
    markDirty: db.prepare<[number, number, number]>(
      'INSERT OR IGNORE INTO history_dirty (host_id, tier, t) VALUES (?, ?, ?)',
    ),
    clearDirty: db.prepare<[number, number, number]>(
      'DELETE FROM history_dirty WHERE host_id = ? AND tier = ? AND t = ?',
    ),
    keptFrom: db.prepare<[number], number>('SELECT kept_from FROM history_kept WHERE tier = ?').pluck(),
    setKeptFrom: db.prepare<[number, number]>('INSERT OR REPLACE INTO history_kept (tier, kept_from) VALUES (?, ?)'),
    hostsAfter: db
      .prepare<[number, number], number>('SELECT id FROM history_hosts WHERE id > ? ORDER BY id LIMIT ?')
      .pluck(),

    deleteRaw: db.prepare<[number]>('DELETE FROM history_raw WHERE host_id = ?'),
    deleteRollup: db.prepare<[number]>('DELETE FROM history_rollup WHERE host_id = ?'),
    deleteChunks: db.prepare<[number]>('DELETE FROM history_chunk WHERE host_id = ?'),
    deleteDirty: db.prepare<[number]>('DELETE FROM history_dirty WHERE host_id = ?'),
    deleteHost: db.prepare<[number]>('DELETE FROM history_hosts WHERE id = ?'),
  };
}

/** The prepared history statements of one connection. */
export type HistoryStatements = ReturnType<typeof prepareHistoryStatements>;
