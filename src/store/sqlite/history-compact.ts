/**
 * Background compaction: head rows of a span whose buckets are final (and
 * already folded into the next tier, so rollups read cheap head rows) move
 * into one chunk per host. Host by host from an in-memory cursor; a span
 * compacted twice ends up the same, so a restart only re-scans.
 */
import type Database from 'better-sqlite3';
import { bucketStart, chunkSpan, type Tier } from '../../history/tiers.js';
import type { HistoryChunks } from './history-chunks.js';
import type { TierState } from './history-writer.js';

/** Limits of one compaction batch. */
export interface CompactOptions {
  /** Hosts looked at per transaction. */
  hostsPerScan: number;
  /** Chunks written per transaction (each is a few milliseconds of CPU). */
  chunksPerBatch: number;
  /** Seconds after its end that a raw span waits when there is no rollup tier. */
  graceSeconds: number;
}

export class HistoryCompactor {
  private readonly stmt;
  private cursor = 0;
  /** The limits of the last scan that found nothing to compact under them; undefined after one that did. */
  private idleAt: string | undefined;
  /** The scan in progress: the limits it started under, and whether it compacted anything yet. */
  private scan = { limits: '', compacted: false };

  constructor(db: Database.Database, private readonly chunks: HistoryChunks, private readonly tiers: readonly Tier[],
    private readonly options: CompactOptions) {
    this.stmt = {
      state: db.prepare<[number], TierState>('SELECT done_until, host_cursor FROM history_state WHERE tier = ?'),
      hostsAfter: db.prepare<[number, number], { id: number }>('SELECT id FROM history_hosts WHERE id > ? ORDER BY id LIMIT ?'),
    };
  }

  /** One batch as of `now` (seconds), inside the caller's transaction; true while more may be waiting. */
  step(now: number): boolean {
    const limits = this.tiers.map((_, k) => this.limit(k, now));
    // Nothing becomes compactable until a limit moves (about once a minute) or a late report reopens a span (see
    // wake), so a scan that found nothing is not started again before then. Without this, every other batch of
    // work (a retention batch, say) was followed by a whole new scan of every host.
    const key = limits.join();
    if (this.cursor === 0) {
      if (this.idleAt === key) return false;
      this.scan = { limits: key, compacted: false };
    }
    const hosts = this.stmt.hostsAfter.all(this.cursor, this.options.hostsPerScan);
    let budget = this.options.chunksPerBatch;
    for (const { id } of hosts) {
      for (let k = 0; k < this.tiers.length; k++) {
        const tier = this.tiers[k]!;
        const span = chunkSpan(tier);
        for (let first = this.chunks.firstHead(id, tier); first !== undefined; first = this.chunks.firstHead(id, tier)) {
          const start = bucketStart(first, span);
          if (start + span > limits[k]!) break;
          if (budget === 0) {
            this.cursor = id - 1; // resume with this host
            return true;
          }
          this.chunks.compact(id, tier, start);
          this.scan.compacted = true;
          budget--;
        }
      }
    }
    if (hosts.length < this.options.hostsPerScan) {
      this.cursor = 0;
      this.idleAt = this.scan.compacted || this.scan.limits !== key ? undefined : key;
      return budget < this.options.chunksPerBatch;
    }
    this.cursor = hosts[hosts.length - 1]!.id;
    return true;
  }

  /** Scans again at the next step: a late report has reopened a compacted span (its buckets are being rebuilt). */
  wake(): void {
    this.idleAt = undefined;
  }

  /**
   * Rows of tier k before this time are final and already folded into tier k+1. HistoryWriter relies on
   * this for raw rows: an hour is compacted only once the first rollup tier's watermark has passed it.
   */
  private limit(k: number, now: number): number {
    const own = this.tiers[k]!;
    const done = (tier: Tier | undefined) => (tier ? this.stmt.state.get(tier.width)?.done_until ?? -Infinity : Infinity);
    const limit = Math.min(own.width > 0 ? done(own) : Infinity, done(this.tiers[k + 1]));
    return limit === Infinity ? bucketStart(now - this.options.graceSeconds, 60) : limit;
  }
}
