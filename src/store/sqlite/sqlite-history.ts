/**
 * History for the SQLite store: the engine of src/history/maintenance over
 * this connection's port, bundled so that SqliteStore only delegates.
 */
import type Database from 'better-sqlite3';
import type { NormalizedReport } from '../../contract/index.js';
import {
  DEFAULT_MAINTENANCE_OPTIONS,
  HistoryMaintenance,
  type MaintenanceOptions,
} from '../../history/maintenance/history-maintenance.js';
import { HistoryRecorder } from '../../history/maintenance/recorder.js';
import { DEFAULT_TIERS_SPEC, parseTiers, type Tier } from '../../history/tiers.js';
import type { HistoryRow, ProcessAggregate, SeriesFilter } from '../../history/types.js';
import { SqliteHistoryPort } from './sqlite-history-port.js';

/** History settings of a store. */
export interface HistoryOptions {
  /** False skips history writes at ingest (reads and maintenance still work on what is stored). */
  enabled?: boolean;
  /** Tiers, raw first; defaults to DEFAULT_TIERS_SPEC. */
  tiers?: readonly Tier[];
  /** Batch sizes and timing of rollup, compaction and retention. */
  maintenance?: Partial<MaintenanceOptions>;
}

export class SqliteHistory {
  readonly tiers: readonly Tier[];
  private readonly enabled: boolean;
  private readonly port: SqliteHistoryPort;
  private readonly recorder: HistoryRecorder;
  private readonly maintenance: HistoryMaintenance;

  constructor(db: Database.Database, options: HistoryOptions = {}) {
    this.tiers = options.tiers ?? parseTiers(DEFAULT_TIERS_SPEC);
    this.enabled = options.enabled ?? true;
    this.port = new SqliteHistoryPort(db);
    this.recorder = new HistoryRecorder(this.port, this.tiers);
    this.maintenance = new HistoryMaintenance(this.port, this.tiers, {
      ...DEFAULT_MAINTENANCE_OPTIONS,
      ...options.maintenance,
    });
  }

  /** Called inside the ingest transaction. */
  write(report: NormalizedReport, timeMs: number, receivedAt: number, newHost: boolean): void {
    if (this.enabled) this.recorder.record(report, timeMs, receivedAt, newHost);
  }

  /** Drops cached ids: a rolled-back transaction may have created (and so cached) rows that no longer exist. */
  forgetCaches(): void {
    this.port.dict.forgetAll();
    this.recorder.forget();
  }

  /** Called inside the delete transaction. */
  deleteHost(alias: string): void {
    const id = this.port.deleteHost(alias);
    if (id !== undefined) this.recorder.forgetHost(id);
  }

  read(alias: string, tierName: string, from: number, to: number, wanted?: SeriesFilter): HistoryRow[] | undefined {
    const id = this.port.dict.findHost(alias);
    return id === undefined ? undefined : this.port.source.rows(id, this.tier(tierName), from, to, wanted);
  }

  readProcesses(
    alias: string,
    tierName: string,
    from: number,
    to: number,
  ): { t: number; processes: ProcessAggregate[] }[] {
    const id = this.port.dict.findHost(alias);
    if (id === undefined) return [];
    return this.port.readRange(id, this.tier(tierName), from, to).map((r) => ({ t: r.row.t, processes: r.processes }));
  }

  /** One maintenance batch on this connection (the server runs them on the maintenance thread instead). */
  maintain(nowMs: number): boolean {
    return this.maintenance.step(nowMs);
  }

  private tier(name: string): Tier {
    const tier = this.tiers.find((t) => t.name === name);
    if (!tier) throw new Error(`unknown history tier "${name}"`);
    return tier;
  }
}
