/**
 * The ingest side of history: one raw row per report, written inside the
 * ingest transaction with prepared statements only. A report older than
 * what the first rollup tier has already folded marks that bucket dirty, so
 * the background job rebuilds it (and the coarser buckets above it).
 */
import type Database from 'better-sqlite3';
import type { NormalizedReport } from '../../contract/index.js';
import { encodeFloats } from '../../history/codec.js';
import { sampleReport, type ReportSample } from '../../history/series.js';
import { bucketStart, chunkSpan, type Tier } from '../../history/tiers.js';
import type { HistoryChunks } from './history-chunks.js';
import type { HistoryDict } from './history-dict.js';

/** Watermark of one rollup tier: buckets before done_until are built; at done_until, hosts up to host_cursor are. */
export interface TierState { done_until: number; host_cursor: number }

/** True when a bucket starting at `start` has already been built for this host id (so new data must rebuild it). */
export function isBuilt(state: TierState | undefined, start: number, hostId: number): boolean {
  if (!state) return false;
  return start < state.done_until || (start === state.done_until && state.host_cursor > 0 && hostId <= state.host_cursor);
}

export class HistoryWriter {
  private readonly stmt;
  /** Each host's last sample and its layout id: most reports have the same series as the one before. */
  private readonly last = new Map<number, { sample: ReportSample; layout: number }>();
  /** The first rollup tier's watermark as read in transaction `transaction` (only the rollup job moves it, in its own). */
  private firstTierState: { transaction: number; state: TierState | undefined } | undefined;

  /** `transaction` identifies the caller's current write transaction (see GroupCommit.transaction). */
  constructor(
    db: Database.Database,
    private readonly dict: HistoryDict,
    private readonly chunks: HistoryChunks,
    private readonly tiers: readonly Tier[],
    private readonly transaction: () => number,
  ) {
    this.stmt = {
      raw: db.prepare(`INSERT OR REPLACE INTO history_raw (host_id, t, layout, vals, procs) VALUES (?, ?, ?, ?, ?)`),
      state: db.prepare<[number], TierState>('SELECT done_until, host_cursor FROM history_state WHERE tier = ?'),
      dirty: db.prepare('INSERT OR IGNORE INTO history_dirty (host_id, tier, t) VALUES (?, ?, ?)'),
      deleteRaw: db.prepare('DELETE FROM history_raw WHERE host_id = ?'),
      deleteRollup: db.prepare('DELETE FROM history_rollup WHERE host_id = ?'),
      deleteDirty: db.prepare('DELETE FROM history_dirty WHERE host_id = ?'),
      deleteHost: db.prepare('DELETE FROM history_hosts WHERE id = ?'),
    };
  }

  /**
   * Records a report at `timeMs` (its clamped agent time). Reports older than
   * the raw tier keeps are skipped: their rollups may already be final.
   * Returns false when skipped. `newHost` forces a fresh host id lookup.
   */
  write(report: NormalizedReport, timeMs: number, receivedAt: number, newHost: boolean): boolean {
    const t = Math.floor(timeMs / 1000);
    const raw = this.tiers[0]!;
    if (t < Math.floor(receivedAt / 1000) - raw.retention) return false;
    const hostId = this.dict.hostId(report.server_alias, newHost);
    const last = this.last.get(hostId);
    const sample = sampleReport(report, last?.sample);
    const layout = last && sample.keys === last.sample.keys ? last.layout : this.dict.layoutId(sample.keys);
    this.last.set(hostId, { sample, layout });
    const procs = sample.processes.length === 0 ? null
      : encodeFloats(sample.processes.flatMap((p) => [p.gpu, this.dict.procId(p.user, p.cmd), p.memMb]));
    const first = this.tiers[1];
    const state = first ? this.stateOf(first) : undefined;
    // A late report into an hour already compacted reopens that hour. Raw hours are compacted only once
    // the first rollup tier has passed their end, so a current report needs no look-up.
    const spanEnd = bucketStart(t, chunkSpan(raw)) + chunkSpan(raw);
    if (!first || (state && spanEnd <= state.done_until)) this.chunks.explode(hostId, raw, t);
    this.stmt.raw.run(hostId, t, layout, encodeFloats(sample.values), procs);
    if (first) {
      const start = bucketStart(t, first.width);
      if (isBuilt(state, start, hostId)) this.stmt.dirty.run(hostId, first.width, start);
    }
    return true;
  }

  /** Forgets each host's last sample (and with it the layout id it was stored under). */
  forgetLastSamples(): void {
    this.last.clear();
    this.firstTierState = undefined;
  }

  /** The tier's watermark, read once per transaction: every report of a batch asks for it. */
  private stateOf(tier: Tier): TierState | undefined {
    const transaction = this.transaction();
    if (this.firstTierState?.transaction !== transaction) {
      this.firstTierState = { transaction, state: this.stmt.state.get(tier.width) };
    }
    return this.firstTierState.state;
  }

  /** Removes every history row of a host; false when it had none. */
  deleteHost(alias: string): boolean {
    const id = this.dict.findHost(alias);
    this.dict.forgetHost(alias);
    if (id !== undefined) this.last.delete(id);
    if (id === undefined) return false;
    this.stmt.deleteRaw.run(id);
    this.stmt.deleteRollup.run(id);
    this.stmt.deleteDirty.run(id);
    this.chunks.deleteHost(id);
    this.stmt.deleteHost.run(id);
    return true;
  }
}
