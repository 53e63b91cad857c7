/**
 * Compaction: uncompacted rows of a span whose buckets are final (and
 * already folded into the next tier, so rollups read cheap uncompacted
 * rows) move into one compacted block per host. Host by host from an
 * in-memory cursor; a span compacted twice ends up the same, so a restart
 * only re-scans.
 */
import type { HistoryPort } from '../history-port.js';
import { bucketStart, chunkSpan, type Tier } from '../tiers.js';

/** Limits of compaction batches. */
export interface CompactLimits {
  /** Hosts looked at per batch. */
  hostsPerScan: number;
  /** Spans compacted per batch (each is a few milliseconds of CPU). */
  chunksPerBatch: number;
  /** Seconds after its end that a raw span waits when there is no rollup tier. */
  graceSeconds: number;
}

export class Compactor {
  private cursor = 0;
  /** The limits of the last scan that found nothing to compact under them; undefined after one that did. */
  private idleAt: string | undefined;
  /** The scan in progress: the limits it started under, and whether it compacted anything yet. */
  private scan = { limits: '', compacted: false };

  constructor(
    private readonly port: HistoryPort,
    private readonly tiers: readonly Tier[],
    private readonly limits: CompactLimits,
  ) {}

  /** One batch as of `now` (seconds); true while more may be waiting. */
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
    const hosts = this.port.hostsAfter(this.cursor, this.limits.hostsPerScan);
    let budget = this.limits.chunksPerBatch;
    for (const id of hosts) {
      for (let k = 0; k < this.tiers.length; k++) {
        const tier = this.tiers[k]!;
        const span = chunkSpan(tier);
        for (let first = this.port.firstHead(id, tier); first !== undefined; first = this.port.firstHead(id, tier)) {
          const start = bucketStart(first, span);
          if (start + span > limits[k]!) break;
          if (budget === 0) {
            this.cursor = id - 1; // resume with this host
            return true;
          }
          this.port.compactSpan(id, tier, start);
          this.scan.compacted = true;
          budget--;
        }
      }
    }
    if (hosts.length < this.limits.hostsPerScan) {
      this.cursor = 0;
      this.idleAt = this.scan.compacted || this.scan.limits !== key ? undefined : key;
      return budget < this.limits.chunksPerBatch;
    }
    this.cursor = hosts[hosts.length - 1]!;
    return true;
  }

  /** Scans again at the next step: a late report has reopened a compacted span (its buckets are being rebuilt). */
  wake(): void {
    this.idleAt = undefined;
  }

  /**
   * Rows of tier k before this time are final and already folded into tier k+1. HistoryRecorder relies on
   * this for raw rows: an hour is compacted only once the first rollup tier's watermark has passed it.
   */
  private limit(k: number, now: number): number {
    const own = this.tiers[k]!;
    const done = (tier: Tier | undefined) => (tier ? (this.port.watermark(tier)?.doneUntil ?? -Infinity) : Infinity);
    const limit = Math.min(own.width > 0 ? done(own) : Infinity, done(this.tiers[k + 1]));
    return limit === Infinity ? bucketStart(now - this.limits.graceSeconds, 60) : limit;
  }
}
