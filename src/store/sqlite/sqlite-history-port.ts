/**
 * The history port (src/history/history-port.ts) over one SQLite
 * connection: the engine's primitives as the statements of
 * history-statements.ts and the row and chunk formats of history-rows.ts
 * and history-chunks.ts.
 */
import type Database from 'better-sqlite3';
import { encodeCounts, encodeFloats } from '../../history/codec.js';
import {
  WriteLockBusyError,
  type DirtyBucket,
  type HistoryPort,
  type RowWithProcesses,
  type TierWatermark,
} from '../../history/history-port.js';
import type { ReportSample } from '../../history/series.js';
import type { Tier } from '../../history/tiers.js';
import type { Bucket, ProcessAggregate } from '../../history/types.js';
import { HistoryChunks } from './history-chunks.js';
import { HistoryDict } from './history-dict.js';
import { encodeBucket, encodeProcs, RAW_TUPLE, ROLLUP_TUPLE, rollupTuples } from './history-rows.js';
import { HistorySource } from './history-source.js';
import { prepareHistoryStatements, type HistoryStatements } from './history-statements.js';

export class SqliteHistoryPort implements HistoryPort {
  readonly dict: HistoryDict;
  readonly source: HistorySource;
  private readonly stmt: HistoryStatements;
  private readonly chunks: HistoryChunks;

  constructor(private readonly db: Database.Database) {
    this.stmt = prepareHistoryStatements(db);
    this.dict = new HistoryDict(db);
    this.chunks = new HistoryChunks(this.stmt, this.dict);
    this.source = new HistorySource(this.stmt, this.dict, this.chunks);
  }

  /** BEGIN IMMEDIATE waits for the lock up to the connection's busy_timeout; past it, SQLITE_BUSY becomes WriteLockBusyError. */
  writeBatch<R>(work: () => R): R {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY' && !this.db.inTransaction)
        throw new WriteLockBusyError({ cause: error });
      throw error;
    }
  }

  hostId(alias: string, fresh: boolean): number {
    return this.dict.hostId(alias, fresh);
  }

  appendRaw(hostId: number, t: number, sample: ReportSample): void {
    const procs = sample.processes.flatMap((p) => [p.gpu, this.dict.procId(p.user, p.cmd), p.memMb]);
    this.stmt.putRaw.run(
      hostId,
      t,
      this.dict.layoutId(sample.keys),
      encodeFloats(sample.values),
      encodeProcs(procs, RAW_TUPLE),
    );
  }

  readRange(hostId: number, tier: Tier, from: number, to: number): RowWithProcesses[] {
    return this.source.rowsWithProcesses(hostId, tier, from, to);
  }

  firstTime(tier: Tier, from: number): number | undefined {
    return this.source.firstTime(tier, from);
  }

  hostsAfter(cursor: number, limit: number): number[] {
    return this.stmt.hostsAfter.all(cursor, limit);
  }

  writeBucket(hostId: number, tier: Tier, start: number, bucket: Bucket, processes: readonly ProcessAggregate[]): void {
    const { avg, max } = encodeBucket(bucket);
    this.stmt.putRollup.run(
      hostId,
      tier.width,
      start,
      this.dict.layoutId(bucket.keys),
      bucket.n,
      avg,
      max,
      bucket.cnt ? encodeCounts(bucket.cnt) : null,
      encodeProcs(rollupTuples(this.dict, processes), ROLLUP_TUPLE),
    );
  }

  removeBucket(hostId: number, tier: Tier, start: number): void {
    this.stmt.removeRollup.run(hostId, tier.width, start);
  }

  watermark(tier: Tier): TierWatermark | undefined {
    return this.stmt.watermark.get(tier.width);
  }

  setWatermark(tier: Tier, mark: TierWatermark): void {
    this.stmt.setWatermark.run(tier.width, mark.doneUntil, mark.hostCursor);
  }

  markDirty(hostId: number, tier: Tier, start: number): void {
    this.stmt.markDirty.run(hostId, tier.width, start);
  }

  takeDirty(limit: number): DirtyBucket[] {
    return this.stmt.dirty.all(limit);
  }

  clearDirty(bucket: DirtyBucket): void {
    this.stmt.clearDirty.run(bucket.hostId, bucket.tierWidth, bucket.start);
  }

  setKeptFrom(tier: Tier, t: number): void {
    this.stmt.setKeptFrom.run(tier.width, t);
  }

  expireRows(hostId: number, tier: Tier, before: number): void {
    if (tier.width === 0) this.stmt.expireRaw.run(hostId, before);
    else this.stmt.expireRollup.run(hostId, tier.width, before);
  }

  expireChunks(hostId: number, tier: Tier, before: number): void {
    this.chunks.expire(hostId, tier, before);
  }

  dropOtherTiers(hostId: number, widths: ReadonlySet<number>): void {
    this.chunks.dropOtherTiers(hostId, widths);
    for (let row = this.stmt.nextRollupTier.get(hostId, 0); row; row = this.stmt.nextRollupTier.get(hostId, row.tier)) {
      if (!widths.has(row.tier)) this.stmt.dropRollupTier.run(hostId, row.tier);
    }
  }

  firstHead(hostId: number, tier: Tier): number | undefined {
    return this.source.firstHead(hostId, tier);
  }

  compactSpan(hostId: number, tier: Tier, start: number): void {
    this.chunks.compact(hostId, tier, start);
  }

  explodeSpan(hostId: number, tier: Tier, t: number): boolean {
    return this.chunks.explode(hostId, tier, t);
  }

  /** Removes every history row of a host (inside the caller's transaction); its id, or undefined when it had none. */
  deleteHost(alias: string): number | undefined {
    const id = this.dict.findHost(alias);
    this.dict.forgetHost(alias);
    if (id === undefined) return undefined;
    for (const stmt of [
      this.stmt.deleteRaw,
      this.stmt.deleteRollup,
      this.stmt.deleteChunks,
      this.stmt.deleteDirty,
      this.stmt.deleteHost,
    ])
      stmt.run(id);
    return id;
  }
}
