/**
 * Reads one tier's rows of one host, for queries and for rollups alike.
 */
import type Database from 'better-sqlite3';
import type { Tier } from '../../history/tiers.js';
import type { HistoryRow, ProcessAggregate } from '../../history/types.js';
import type { HistoryDict } from './history-dict.js';
import { rawProcesses, rawToRow, rollupProcesses, rollupToRow, type RawRowData, type RollupRowData } from './history-rows.js';

export class HistorySource {
  private readonly stmt;

  constructor(db: Database.Database, private readonly dict: HistoryDict) {
    this.stmt = {
      raw: db.prepare<[number, number, number], RawRowData>(
        'SELECT t, layout, vals, procs FROM history_raw WHERE host_id = ? AND t >= ? AND t <= ? ORDER BY t'),
      rollup: db.prepare<[number, number, number, number], RollupRowData>(
        'SELECT t, layout, n, avg, max, cnt, procs FROM history_rollup WHERE host_id = ? AND tier = ? AND t >= ? AND t <= ? ORDER BY t'),
      rawValues: db.prepare<[number, number, number], RawRowData>(
        'SELECT t, layout, vals, NULL AS procs FROM history_raw WHERE host_id = ? AND t >= ? AND t <= ? ORDER BY t'),
      rollupValues: db.prepare<[number, number, number, number], RollupRowData>(
        'SELECT t, layout, n, avg, max, cnt, NULL AS procs FROM history_rollup WHERE host_id = ? AND tier = ? AND t >= ? AND t <= ? ORDER BY t'),
      firstRaw: db.prepare<[number, number], { t: number | null }>('SELECT min(t) AS t FROM history_raw WHERE host_id = ? AND t >= ?'),
      firstRollup: db.prepare<[number, number, number], { t: number | null }>(
        'SELECT min(t) AS t FROM history_rollup WHERE host_id = ? AND tier = ? AND t >= ?'),
    };
  }

  /** Value rows with from <= t <= to, oldest first. */
  rows(hostId: number, tier: Tier, from: number, to: number): HistoryRow[] {
    if (tier.width === 0) return this.stmt.rawValues.all(hostId, from, to).map((r) => rawToRow(this.dict, r));
    return this.stmt.rollupValues.all(hostId, tier.width, from, to).map((r) => rollupToRow(this.dict, r));
  }

  /** Value rows and their GPU processes, oldest first. */
  rowsWithProcesses(hostId: number, tier: Tier, from: number, to: number): { row: HistoryRow; processes: ProcessAggregate[] }[] {
    if (tier.width === 0) {
      return this.stmt.raw.all(hostId, from, to).map((r) => ({ row: rawToRow(this.dict, r), processes: rawProcesses(this.dict, r.procs) }));
    }
    return this.stmt.rollup.all(hostId, tier.width, from, to)
      .map((r) => ({ row: rollupToRow(this.dict, r), processes: rollupProcesses(this.dict, r.procs) }));
  }

  /** The earliest row time >= from of any of `hostIds`, or undefined when there is none. */
  firstTime(hostIds: readonly number[], tier: Tier, from: number): number | undefined {
    let first: number | undefined;
    for (const id of hostIds) {
      const t = tier.width === 0 ? this.stmt.firstRaw.get(id, from)?.t : this.stmt.firstRollup.get(id, tier.width, from)?.t;
      if (t !== null && t !== undefined && (first === undefined || t < first)) first = t;
    }
    return first;
  }
}
