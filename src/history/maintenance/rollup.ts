/**
 * Rollup: each tier's buckets built from the tier below, host by host, as
 * the tier's watermark moves. A bucket is always rebuilt from its source
 * rows and replaced, never incremented, so running a batch twice (a crash
 * between commit and the next batch, two processes racing) changes nothing.
 * Late reports mark buckets dirty; dirty buckets are rebuilt first and
 * cascade upward.
 */
import { foldProcesses, foldRows } from '../aggregate.js';
import type { HistoryPort } from '../history-port.js';
import { bucketStart, type Tier } from '../tiers.js';
import { isBuilt } from './watermarks.js';

/** Limits of rollup batches. */
export interface RollupLimits {
  /** Hosts whose bucket is built per batch. */
  hostsPerBatch: number;
  /** Dirty buckets rebuilt per batch. */
  dirtyPerBatch: number;
  /** Seconds a first-tier bucket waits after it ends before it is built (reports in flight). */
  graceSeconds: number;
}

export class Rollup {
  /** Per tier width without a watermark yet: the source tier's watermark when the source was last found empty. */
  private readonly emptySourceAt = new Map<number, number>();

  /** `overdue` tells when the batch has run out of time: the bucket in hand is finished, the rest waits. */
  constructor(
    private readonly port: HistoryPort,
    private readonly tiers: readonly Tier[],
    private readonly limits: RollupLimits,
    private readonly overdue: () => boolean,
  ) {}

  /** Builds one bucket of tier k for one host from tier k-1, replacing what was there. */
  build(hostId: number, k: number, start: number): void {
    const tier = this.tiers[k]!;
    const rows = this.port.readRange(hostId, this.tiers[k - 1]!, start, start + tier.width - 1);
    this.port.explodeSpan(hostId, tier, start); // a bucket of a compacted span: reopen the span first
    const bucket = foldRows(rows.map((r) => r.row));
    if (bucket) this.port.writeBucket(hostId, tier, start, bucket, foldProcesses(rows.map((r) => r.processes)));
    else this.port.removeBucket(hostId, tier, start);
  }

  /** Rebuilds dirty buckets, marking the buckets above them dirty where those are built; true when any were queued. */
  rebuildDirty(): boolean {
    const dirty = this.port.takeDirty(this.limits.dirtyPerBatch);
    for (const d of dirty) {
      if (this.overdue()) break; // the rest stays queued for the next batch
      const k = this.tiers.findIndex((t, i) => i > 0 && t.width === d.tierWidth);
      if (k > 0) {
        this.build(d.hostId, k, d.start);
        const next = this.tiers[k + 1];
        if (next) {
          const start = bucketStart(d.start, next.width);
          if (isBuilt(this.port.watermark(next), start, d.hostId)) this.port.markDirty(d.hostId, next, start);
        }
      }
      this.port.clearDirty(d);
    }
    return dirty.length > 0;
  }

  /** Moves one tier's watermark by one bucket, or part of one; false when every tier is as far as it can be. */
  rollUp(now: number): boolean {
    for (let k = 1; k < this.tiers.length; k++) {
      const tier = this.tiers[k]!;
      const sourceTier = this.tiers[k - 1]!;
      let ready: number;
      /** The source tier's watermark (rollup tiers only). */
      let sourceDone: number | undefined;
      if (k === 1) ready = bucketStart(now - this.limits.graceSeconds, tier.width);
      else {
        const below = this.port.watermark(sourceTier);
        if (!below) continue;
        sourceDone = below.doneUntil;
        ready = bucketStart(below.doneUntil, tier.width);
      }
      let mark = this.port.watermark(tier);
      if (!mark) {
        // Looking for the source's first row asks every host. A rollup tier gains rows as its own watermark
        // moves (a late report may add one behind it, found at the next move), so until then the answer
        // stays "none": asking again in every batch cost O(hosts) per batch, seconds a minute at 10,000 hosts.
        if (sourceDone !== undefined && this.emptySourceAt.get(tier.width) === sourceDone) continue;
        const first = this.port.firstTime(sourceTier, 0);
        if (first === undefined) {
          if (sourceDone !== undefined) this.emptySourceAt.set(tier.width, sourceDone);
          continue;
        }
        mark = { doneUntil: bucketStart(first, tier.width), hostCursor: 0 };
        this.port.setWatermark(tier, mark);
      }
      if (mark.doneUntil + tier.width > ready) continue;
      if (mark.hostCursor === 0) {
        // Skip stretches without data (downtime) in one go instead of bucket by bucket.
        const next = this.port.firstTime(sourceTier, mark.doneUntil);
        const jumpTo = next === undefined ? ready : Math.min(bucketStart(next, tier.width), ready);
        if (jumpTo > mark.doneUntil) {
          this.port.setWatermark(tier, { doneUntil: jumpTo, hostCursor: 0 });
          return true;
        }
      }
      const hosts = this.port.hostsAfter(mark.hostCursor, this.limits.hostsPerBatch);
      let built = 0;
      while (built < hosts.length && (built === 0 || !this.overdue())) this.build(hosts[built++]!, k, mark.doneUntil);
      this.port.setWatermark(
        tier,
        built === hosts.length && hosts.length < this.limits.hostsPerBatch
          ? { doneUntil: mark.doneUntil + tier.width, hostCursor: 0 }
          : { doneUntil: mark.doneUntil, hostCursor: hosts[built - 1]! },
      );
      return true;
    }
    return false;
  }
}
