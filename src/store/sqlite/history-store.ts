/**
 * History for the SQLite store, bundled so that SqliteStore only delegates
 * (and a PostgreSQL store can mirror this file's surface).
 */
import type Database from 'better-sqlite3';
import type { NormalizedReport } from '../../contract/index.js';
import { DEFAULT_TIERS_SPEC, parseTiers, type Tier } from '../../history/tiers.js';
import type { HistoryRow, ProcessAggregate, SeriesFilter } from '../../history/types.js';
import { HistoryChunks } from './history-chunks.js';
import { HistoryDict } from './history-dict.js';
import { DEFAULT_ROLLUP_OPTIONS, HistoryRollup, type RollupOptions } from './history-rollup.js';
import { HistorySource } from './history-source.js';
import { HistoryWriter } from './history-writer.js';

/** History settings of a store. */
export interface HistoryOptions {
  /** False skips history writes at ingest (reads and maintenance still work on what is stored). */
  enabled?: boolean;
  /** Tiers, raw first; defaults to DEFAULT_TIERS_SPEC. */
  tiers?: readonly Tier[];
  /** Batch sizes and timing of rollup and retention. */
  rollup?: Partial<RollupOptions>;
}

export class SqliteHistory {
  readonly tiers: readonly Tier[];
  private readonly enabled: boolean;
  private readonly dict: HistoryDict;
  private readonly writer: HistoryWriter;
  private readonly source: HistorySource;
  private readonly rollup: HistoryRollup;

  /** `transaction` identifies the current write transaction (see GroupCommit.transaction); NaN: never the same. */
  constructor(db: Database.Database, options: HistoryOptions = {}, transaction: () => number = () => NaN) {
    this.tiers = options.tiers ?? parseTiers(DEFAULT_TIERS_SPEC);
    this.enabled = options.enabled ?? true;
    this.dict = new HistoryDict(db);
    const chunks = new HistoryChunks(db, this.dict);
    this.writer = new HistoryWriter(db, this.dict, chunks, this.tiers, transaction);
    this.source = new HistorySource(db, this.dict, chunks);
    this.rollup = new HistoryRollup(db, this.dict, this.source, chunks, this.tiers, { ...DEFAULT_ROLLUP_OPTIONS, ...options.rollup });
  }

  /** Called inside the ingest transaction. */
  write(report: NormalizedReport, timeMs: number, receivedAt: number, newHost: boolean): void {
    if (this.enabled) this.writer.write(report, timeMs, receivedAt, newHost);
  }

  /** Drops cached ids: a rolled-back transaction may have created (and so cached) rows that no longer exist. */
  forgetCaches(): void {
    this.dict.forgetAll();
    this.writer.forgetLastSamples();
  }

  /** Called inside the delete transaction. */
  deleteHost(alias: string): void {
    this.writer.deleteHost(alias);
  }

  read(alias: string, tierName: string, from: number, to: number, wanted?: SeriesFilter): HistoryRow[] | undefined {
    const id = this.dict.findHost(alias);
    return id === undefined ? undefined : this.source.rows(id, this.tier(tierName), from, to, wanted);
  }

  readProcesses(alias: string, tierName: string, from: number, to: number): { t: number; processes: ProcessAggregate[] }[] {
    const id = this.dict.findHost(alias);
    if (id === undefined) return [];
    return this.source.rowsWithProcesses(id, this.tier(tierName), from, to).map((r) => ({ t: r.row.t, processes: r.processes }));
  }

  maintain(nowMs: number): boolean {
    return this.rollup.step(nowMs);
  }

  private tier(name: string): Tier {
    const tier = this.tiers.find((t) => t.name === name);
    if (!tier) throw new Error(`unknown history tier "${name}"`);
    return tier;
  }
}
