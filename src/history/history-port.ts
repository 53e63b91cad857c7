/**
 * The storage primitives the history engine (src/history/maintenance/)
 * works over. A backend implements them with its own statements and row
 * format; what to roll up when, what may be dropped and when a span may be
 * compacted is decided once, in the engine. Host ids are the backend's own
 * positive integers, ascending in order of creation. Times are unix
 * seconds; a tier is named by its width (0 for raw). Every method runs
 * inside the caller's write transaction: `writeBatch` for maintenance, the
 * backend's ingest transaction for HistoryRecorder.
 */
import type { ReportSample } from './series.js';
import type { Tier } from './tiers.js';
import type { Bucket, HistoryRow, ProcessAggregate } from './types.js';

/** How far one rollup tier is built: every bucket before doneUntil, and at doneUntil the hosts up to hostCursor (0: none). */
export interface TierWatermark {
  doneUntil: number;
  hostCursor: number;
}

/** A bucket to rebuild (new rows arrived after it was built). */
export interface DirtyBucket {
  hostId: number;
  tierWidth: number;
  start: number;
}

/** A row as the engine folds it, with its GPU processes. */
export interface RowWithProcesses {
  row: HistoryRow;
  processes: ProcessAggregate[];
}

/** The write lock is held elsewhere and was not had in time; nothing was written, and the batch may simply be tried again. */
export class WriteLockBusyError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('the history write lock is held by another writer', options);
    this.name = 'WriteLockBusyError';
  }
}

export interface HistoryPort {
  /**
   * Runs `work` as one write transaction: all of it commits or none. Only one
   * writer runs at a time (across processes sharing the storage). Throws
   * WriteLockBusyError, having run nothing, when the lock is not had within
   * a short wait, so that a caller never sits blocked on it for long.
   */
  writeBatch<R>(work: () => R): R;

  /** The id of a host, created when missing; `fresh` reads it again (another process may have deleted and re-created it). */
  hostId(alias: string, fresh: boolean): number;

  /** Stores one raw row, replacing any row of the same host and time (a report sent twice is stored once). */
  appendRaw(hostId: number, t: number, sample: ReportSample): void;

  /**
   * A host's rows of `tier` with from <= t <= to, oldest first, compacted or
   * not, never from before the tier's kept-from time (setKeptFrom).
   */
  readRange(hostId: number, tier: Tier, from: number, to: number): RowWithProcesses[];

  /** The earliest row time >= from of any host in `tier`, or undefined when there is none. */
  firstTime(tier: Tier, from: number): number | undefined;

  /** Up to `limit` host ids greater than `cursor`, ascending: the engine walks hosts in batches with it. */
  hostsAfter(cursor: number, limit: number): number[];

  /** Stores a rollup bucket, replacing what was there: a bucket is always rebuilt whole, never incremented. */
  writeBucket(hostId: number, tier: Tier, start: number, bucket: Bucket, processes: readonly ProcessAggregate[]): void;

  /** Removes a rollup bucket (its source rows are gone); no-op when absent. */
  removeBucket(hostId: number, tier: Tier, start: number): void;

  /** The tier's watermark, or undefined before its first bucket; always what was last set, in this transaction or a committed one. */
  watermark(tier: Tier): TierWatermark | undefined;

  /** Moves the tier's watermark; only the engine sets it, and only forward, except where a tier is rebuilt. */
  setWatermark(tier: Tier, mark: TierWatermark): void;

  /** Queues a bucket for rebuilding; marking one already queued changes nothing. */
  markDirty(hostId: number, tier: Tier, start: number): void;

  /** Up to `limit` queued buckets, finest tier first, then oldest: they stay queued until clearDirty. */
  takeDirty(limit: number): DirtyBucket[];

  /** Removes one bucket from the queue (it was rebuilt). */
  clearDirty(bucket: DirtyBucket): void;

  /** Reads of the tier start at `t` from now on, even where rows before it are still stored (chunks are dropped whole). */
  setKeptFrom(tier: Tier, t: number): void;

  /** Drops a host's uncompacted rows of the tier with t < before. */
  expireRows(hostId: number, tier: Tier, before: number): void;

  /** Drops a host's compacted spans of the tier that end at or before `before`. */
  expireChunks(hostId: number, tier: Tier, before: number): void;

  /** Drops a host's rows and spans of tier widths not in `widths` (the tier list changed). */
  dropOtherTiers(hostId: number, widths: ReadonlySet<number>): void;

  /** The earliest uncompacted row time of a host in a tier, or undefined. */
  firstHead(hostId: number, tier: Tier): number | undefined;

  /**
   * Moves the uncompacted rows of the span starting at `start` (chunkSpan of
   * the tier) into its compacted block, merging with one already there: a
   * row lives either in a block or uncompacted, never both.
   */
  compactSpan(hostId: number, tier: Tier, start: number): void;

  /** Turns the compacted block holding time t back into uncompacted rows, so that they can change; false when there was none. */
  explodeSpan(hostId: number, tier: Tier, t: number): boolean;
}
