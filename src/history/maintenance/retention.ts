/**
 * Retention: rows older than each tier's retention are dropped, host by
 * host, at most once per pass interval. A row is never dropped before the
 * next tier has folded it, so downtime of the maintenance loses nothing.
 */
import type { HistoryPort } from '../history-port.js';
import type { Tier } from '../tiers.js';

/** Limits and timing of retention passes. */
export interface RetentionLimits {
  /** Hosts handled per batch. */
  hostsPerBatch: number;
  /** Seconds between passes. */
  everySeconds: number;
}

export class Retention {
  /** When the next pass may start (unix seconds). */
  private nextPassAt = 0;
  private cursor = 0;

  constructor(
    private readonly port: HistoryPort,
    private readonly tiers: readonly Tier[],
    private readonly limits: RetentionLimits,
  ) {}

  /** One batch of the pass in progress (or of a new one, when due); true while the pass goes on. */
  step(now: number): boolean {
    if (now < this.nextPassAt) return false;
    const cutoffs = this.cutoffs(now);
    const widths = new Set(this.tiers.map((t) => t.width));
    if (this.cursor === 0) {
      // Reads stop at the cut-off at once; compacted spans that straddle it are dropped once they have aged out whole.
      this.tiers.forEach((tier, k) => {
        if (cutoffs[k]! > -Infinity) this.port.setKeptFrom(tier, cutoffs[k]!);
      });
    }
    const hosts = this.port.hostsAfter(this.cursor, this.limits.hostsPerBatch);
    for (const id of hosts) {
      this.tiers.forEach((tier, k) => {
        if (cutoffs[k]! === -Infinity) return;
        this.port.expireRows(id, tier, cutoffs[k]!);
        this.port.expireChunks(id, tier, cutoffs[k]!);
      });
      this.port.dropOtherTiers(id, widths);
    }
    if (hosts.length < this.limits.hostsPerBatch) {
      this.cursor = 0;
      this.nextPassAt = now + this.limits.everySeconds;
      return false;
    }
    this.cursor = hosts[hosts.length - 1]!;
    return true;
  }

  /** Per tier: rows before this time may go (-Infinity: none yet, the next tier has not started folding it). */
  private cutoffs(now: number): number[] {
    return this.tiers.map((tier, k) => {
      const next = this.tiers[k + 1];
      const aged = now - tier.retention;
      if (!next) return aged;
      const mark = this.port.watermark(next);
      return mark ? Math.min(aged, mark.doneUntil) : -Infinity;
    });
  }
}
