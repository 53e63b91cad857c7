/**
 * The history reads of the SQLite store on a connection of their own (a
 * history query thread's read-only one): what the query engine needs
 * (HistoryReader), without the recorder, maintenance or any write.
 */
import type Database from 'better-sqlite3';
import type { HistoryReader } from '../../history/query.js';
import type { Tier } from '../../history/tiers.js';
import type { HistoryRow, SeriesFilter } from '../../history/types.js';
import { HistoryChunks } from './history-chunks.js';
import { HistoryDict } from './history-dict.js';
import { HistorySource } from './history-source.js';
import { prepareHistoryStatements } from './history-statements.js';

export class SqliteHistoryReader implements HistoryReader {
  private readonly dict: HistoryDict;
  private readonly source: HistorySource;

  constructor(
    db: Database.Database,
    private readonly tiers: readonly Tier[],
  ) {
    const stmt = prepareHistoryStatements(db);
    this.dict = new HistoryDict(db);
    this.source = new HistorySource(stmt, this.dict, new HistoryChunks(stmt, this.dict));
  }

  historyTiers(): readonly Tier[] {
    return this.tiers;
  }

  async readHistory(
    alias: string,
    tierName: string,
    from: number,
    to: number,
    wanted?: SeriesFilter,
  ): Promise<HistoryRow[] | undefined> {
    const tier = this.tiers.find((t) => t.name === tierName);
    if (!tier) throw new Error(`unknown history tier "${tierName}"`);
    const id = this.dict.findHost(alias);
    return id === undefined ? undefined : this.source.rows(id, tier, from, to, wanted);
  }
}
