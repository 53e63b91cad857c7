/**
 * History maintenance, one small batch per call, each in one write
 * transaction of the port: dirty buckets first, then rollup, then
 * compaction, then retention. Progress is kept in storage (watermarks, the
 * dirty queue) except for scan cursors, so any process may run a batch and
 * a restart resumes where the last commit left off.
 */
import type { HistoryPort } from '../history-port.js';
import type { Tier } from '../tiers.js';
import { Compactor } from './compaction.js';
import { Retention } from './retention.js';
import { Rollup } from './rollup.js';

/** Batch sizes and timing of maintenance. */
export interface MaintenanceOptions {
  /** Hosts whose bucket is built per batch. */
  hostsPerBatch: number;
  /** Dirty buckets rebuilt per batch. */
  dirtyPerBatch: number;
  /** Seconds a first-tier bucket waits after it ends before it is built (reports in flight). */
  graceSeconds: number;
  /** Seconds between retention passes. */
  retentionEverySeconds: number;
  /** Hosts looked at per compaction batch. */
  compactHostsPerScan: number;
  /** Spans compacted per batch. */
  compactChunksPerBatch: number;
  /**
   * A batch that has run this long (ms) stops after the bucket in hand and
   * saves its place: the batch holds the write lock, and ingest waits for it.
   */
  batchBudgetMs: number;
}

export const DEFAULT_MAINTENANCE_OPTIONS: MaintenanceOptions = {
  hostsPerBatch: 200,
  dirtyPerBatch: 200,
  graceSeconds: 30,
  retentionEverySeconds: 60,
  compactHostsPerScan: 100,
  compactChunksPerBatch: 16,
  batchBudgetMs: 10,
};

export class HistoryMaintenance {
  private readonly rollup: Rollup;
  private readonly compactor: Compactor;
  private readonly retention: Retention;
  /** performance.now() at which the current batch should stop (see batchBudgetMs). */
  private deadline = Infinity;

  constructor(
    private readonly port: HistoryPort,
    tiers: readonly Tier[],
    private readonly options: MaintenanceOptions = DEFAULT_MAINTENANCE_OPTIONS,
  ) {
    this.rollup = new Rollup(port, tiers, options, () => performance.now() > this.deadline);
    this.compactor = new Compactor(port, tiers, {
      hostsPerScan: options.compactHostsPerScan,
      chunksPerBatch: options.compactChunksPerBatch,
      graceSeconds: options.graceSeconds,
    });
    this.retention = new Retention(port, tiers, {
      hostsPerBatch: options.hostsPerBatch,
      everySeconds: options.retentionEverySeconds,
    });
  }

  /** One batch as of `nowMs`; true while more is waiting. Throws WriteLockBusyError (nothing done) when the port's lock is taken. */
  step(nowMs: number): boolean {
    const now = Math.floor(nowMs / 1000);
    return this.port.writeBatch(() => {
      this.deadline = performance.now() + this.options.batchBudgetMs;
      return this.rebuildDirty() || this.rollup.rollUp(now) || this.compactor.step(now) || this.retention.step(now);
    });
  }

  private rebuildDirty(): boolean {
    const found = this.rollup.rebuildDirty();
    // A late report marks buckets dirty; it may have reopened a compacted span, which wants compacting again.
    if (found) this.compactor.wake();
    return found;
  }
}
