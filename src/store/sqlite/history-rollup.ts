/**
 * Background rollup and retention, one small transaction per call. Each
 * rollup tier keeps a watermark in history_state: every bucket before
 * done_until is built, and at done_until the hosts up to host_cursor are.
 * A bucket is always rebuilt from its source rows and replaced, never
 * incremented, so running a batch twice (a crash between commit and the
 * next call, two processes racing) changes nothing. Late reports mark
 * buckets dirty; dirty buckets are rebuilt first and cascade upward.
 */
import type Database from 'better-sqlite3';
import { foldProcesses, foldRows } from '../../history/aggregate.js';
import { encodeCounts } from '../../history/codec.js';
import { bucketStart, type Tier } from '../../history/tiers.js';
import type { HistoryChunks } from './history-chunks.js';
import { HistoryCompactor } from './history-compact.js';
import type { HistoryDict } from './history-dict.js';
import { encodeBucket, encodeRollupProcesses } from './history-rows.js';
import type { HistorySource } from './history-source.js';
import { isBuilt, type TierState } from './history-writer.js';

/** Batch sizes and timing of the background work. */
export interface RollupOptions {
  /** Hosts whose bucket is built per transaction. */
  hostsPerBatch: number;
  /** Dirty buckets rebuilt per transaction. */
  dirtyPerBatch: number;
  /** Seconds a 1st-tier bucket waits after it ends before it is built (reports in flight). */
  graceSeconds: number;
  /** Seconds between retention passes. */
  retentionEverySeconds: number;
  /** Hosts looked at per compaction transaction. */
  compactHostsPerScan: number;
  /** Chunks compacted per transaction. */
  compactChunksPerBatch: number;
  /**
   * A batch that has run this long (ms) stops after the bucket in hand and
   * saves its place: the batch holds the write lock, and ingest waits for it.
   */
  batchBudgetMs: number;
}

export const DEFAULT_ROLLUP_OPTIONS: RollupOptions = {
  hostsPerBatch: 200, dirtyPerBatch: 200, graceSeconds: 30, retentionEverySeconds: 60, compactHostsPerScan: 100, compactChunksPerBatch: 16,
  batchBudgetMs: 10,
};

export class HistoryRollup {
  private readonly stmt;
  private retentionAt = 0;
  private retentionCursor = 0;
  /** Per tier width without a watermark yet: the source tier's watermark when the source was last found empty. */
  private readonly emptySourceAt = new Map<number, number>();
  /** performance.now() at which the current batch should stop (see batchBudgetMs). */
  private deadline = Infinity;
  private readonly compactor: HistoryCompactor;

  constructor(
    private readonly db: Database.Database,
    private readonly dict: HistoryDict,
    private readonly source: HistorySource,
    private readonly chunks: HistoryChunks,
    private readonly tiers: readonly Tier[],
    private readonly options: RollupOptions = DEFAULT_ROLLUP_OPTIONS,
  ) {
    this.compactor = new HistoryCompactor(db, chunks, tiers, {
      hostsPerScan: options.compactHostsPerScan, chunksPerBatch: options.compactChunksPerBatch, graceSeconds: options.graceSeconds,
    });
    this.stmt = {
      keep: db.prepare('INSERT OR REPLACE INTO history_kept (tier, kept_from) VALUES (?, ?)'),
      state: db.prepare<[number], TierState>('SELECT done_until, host_cursor FROM history_state WHERE tier = ?'),
      saveState: db.prepare('INSERT OR REPLACE INTO history_state (tier, done_until, host_cursor) VALUES (?, ?, ?)'),
      dirty: db.prepare<[number], { host_id: number; tier: number; t: number }>(
        'SELECT host_id, tier, t FROM history_dirty ORDER BY tier, t LIMIT ?'),
      undirty: db.prepare('DELETE FROM history_dirty WHERE host_id = ? AND tier = ? AND t = ?'),
      markDirty: db.prepare('INSERT OR IGNORE INTO history_dirty (host_id, tier, t) VALUES (?, ?, ?)'),
      hostsAfter: db.prepare<[number, number], { id: number }>('SELECT id FROM history_hosts WHERE id > ? ORDER BY id LIMIT ?'),
      upsert: db.prepare(`INSERT OR REPLACE INTO history_rollup (host_id, tier, t, layout, n, avg, max, cnt, procs)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      remove: db.prepare('DELETE FROM history_rollup WHERE host_id = ? AND tier = ? AND t = ?'),
      expireRaw: db.prepare('DELETE FROM history_raw WHERE host_id = ? AND t < ?'),
      expireRollup: db.prepare('DELETE FROM history_rollup WHERE host_id = ? AND tier = ? AND t < ?'),
      nextTier: db.prepare<[number, number], { tier: number }>(
        'SELECT tier FROM history_rollup WHERE host_id = ? AND tier > ? ORDER BY tier LIMIT 1'),
      dropTier: db.prepare('DELETE FROM history_rollup WHERE host_id = ? AND tier = ?'),
    };
  }

  /** One batch of work as of `nowMs`; true while more is waiting. */
  step(nowMs: number): boolean {
    const now = Math.floor(nowMs / 1000);
    this.deadline = performance.now() + this.options.batchBudgetMs;
    return this.db.transaction(() => this.rebuildDirty() || this.rollUp(now) || this.compactor.step(now) || this.expire(now)).immediate();
  }

  /** Builds one bucket of tier k for one host from tier k-1, replacing what was there. */
  build(hostId: number, k: number, start: number): void {
    const tier = this.tiers[k]!;
    const rows = this.source.rowsWithProcesses(hostId, this.tiers[k - 1]!, start, start + tier.width - 1);
    this.chunks.explode(hostId, tier, start); // a bucket of a compacted span: reopen the span first
    const bucket = foldRows(rows.map((r) => r.row));
    if (!bucket) {
      this.stmt.remove.run(hostId, tier.width, start);
      return;
    }
    const { avg, max } = encodeBucket(bucket);
    const processes = encodeRollupProcesses(this.dict, foldProcesses(rows.map((r) => r.processes)));
    this.stmt.upsert.run(hostId, tier.width, start, this.dict.layoutId(bucket.keys), bucket.n, avg, max,
      bucket.cnt ? encodeCounts(bucket.cnt) : null, processes);
  }

  private rebuildDirty(): boolean {
    const dirty = this.stmt.dirty.all(this.options.dirtyPerBatch);
    // A late report marks buckets dirty; it may have reopened a compacted span, which wants compacting again.
    if (dirty.length > 0) this.compactor.wake();
    for (const d of dirty) {
      if (performance.now() > this.deadline) break; // the rest stays dirty for the next batch
      const k = this.tiers.findIndex((t, i) => i > 0 && t.width === d.tier);
      if (k > 0) {
        this.build(d.host_id, k, d.t);
        const next = this.tiers[k + 1];
        if (next) {
          const start = bucketStart(d.t, next.width);
          if (isBuilt(this.stmt.state.get(next.width), start, d.host_id)) this.stmt.markDirty.run(d.host_id, next.width, start);
        }
      }
      this.stmt.undirty.run(d.host_id, d.tier, d.t);
    }
    return dirty.length > 0;
  }

  private rollUp(now: number): boolean {
    for (let k = 1; k < this.tiers.length; k++) {
      const tier = this.tiers[k]!;
      const sourceTier = this.tiers[k - 1]!;
      let ready: number;
      /** The source tier's watermark (rollup tiers only). */
      let sourceDone: number | undefined;
      if (k === 1) ready = bucketStart(now - this.options.graceSeconds, tier.width);
      else {
        const below = this.stmt.state.get(sourceTier.width);
        if (!below) continue;
        sourceDone = below.done_until;
        ready = bucketStart(below.done_until, tier.width);
      }
      let state = this.stmt.state.get(tier.width);
      if (!state) {
        // Looking for the source's first row asks every host. A rollup tier gains rows as its own watermark
        // moves (a late report may add one behind it, found at the next move), so until then the answer
        // stays "none": asking again in every batch cost O(hosts) per batch, seconds a minute at 10,000 hosts.
        if (sourceDone !== undefined && this.emptySourceAt.get(tier.width) === sourceDone) continue;
        const first = this.source.firstTime(this.dict.allHostIds(), sourceTier, 0);
        if (first === undefined) {
          if (sourceDone !== undefined) this.emptySourceAt.set(tier.width, sourceDone);
          continue;
        }
        state = { done_until: bucketStart(first, tier.width), host_cursor: 0 };
        this.save(tier, state);
      }
      if (state.done_until + tier.width > ready) continue;
      if (state.host_cursor === 0) {
        // Skip stretches without data (downtime) in one go instead of bucket by bucket.
        const next = this.source.firstTime(this.dict.allHostIds(), sourceTier, state.done_until);
        const jumpTo = next === undefined ? ready : Math.min(bucketStart(next, tier.width), ready);
        if (jumpTo > state.done_until) {
          this.save(tier, { done_until: jumpTo, host_cursor: 0 });
          return true;
        }
      }
      const hosts = this.stmt.hostsAfter.all(state.host_cursor, this.options.hostsPerBatch);
      let built = 0;
      while (built < hosts.length && (built === 0 || performance.now() <= this.deadline)) this.build(hosts[built++]!.id, k, state.done_until);
      this.save(tier, built === hosts.length && hosts.length < this.options.hostsPerBatch
        ? { done_until: state.done_until + tier.width, host_cursor: 0 }
        : { done_until: state.done_until, host_cursor: hosts[built - 1]!.id });
      return true;
    }
    return false;
  }

  /**
   * Drops rows older than each tier's retention, host by host. A row is never
   * dropped before the next tier has folded it, so downtime loses nothing.
   */
  private expire(now: number): boolean {
    if (now < this.retentionAt) return false;
    const cutoffs = this.tiers.map((tier, k) => {
      const next = this.tiers[k + 1];
      const aged = now - tier.retention;
      if (!next) return aged;
      const state = this.stmt.state.get(next.width);
      return state ? Math.min(aged, state.done_until) : -Infinity;
    });
    const widths = new Set(this.tiers.map((t) => t.width));
    if (this.retentionCursor === 0) {
      // Reads stop at the cut-off at once; chunks that straddle it are dropped once they have aged out whole.
      this.tiers.forEach((tier, k) => { if (cutoffs[k]! > -Infinity) this.stmt.keep.run(tier.width, cutoffs[k]!); });
    }
    const hosts = this.stmt.hostsAfter.all(this.retentionCursor, this.options.hostsPerBatch);
    for (const { id } of hosts) {
      if (cutoffs[0]! > -Infinity) this.stmt.expireRaw.run(id, cutoffs[0]!);
      for (let k = 1; k < this.tiers.length; k++) {
        if (cutoffs[k]! > -Infinity) this.stmt.expireRollup.run(id, this.tiers[k]!.width, cutoffs[k]!);
      }
      this.tiers.forEach((tier, k) => { if (cutoffs[k]! > -Infinity) this.chunks.expire(id, tier, cutoffs[k]!); });
      this.chunks.dropOtherTiers(id, widths);
      // Buckets of a width no longer configured are dropped (the tier list changed).
      // Found by seeking from width to width, so a host's millions of rows are never scanned.
      for (let row = this.stmt.nextTier.get(id, 0); row; row = this.stmt.nextTier.get(id, row.tier)) {
        if (!widths.has(row.tier)) this.stmt.dropTier.run(id, row.tier);
      }
    }
    if (hosts.length < this.options.hostsPerBatch) {
      this.retentionCursor = 0;
      this.retentionAt = now + this.options.retentionEverySeconds;
      return false;
    }
    this.retentionCursor = hosts[hosts.length - 1]!.id;
    return true;
  }

  private save(tier: Tier, state: TierState): void {
    this.stmt.saveState.run(tier.width, state.done_until, state.host_cursor);
  }
}
