import type { Tier } from '../history/tiers.js';
import type { HistoryQueryLimits } from './history-queries.js';
import type { Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/** Which backend to open; chosen from config. */
export interface StoreConfig {
  dataDir: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** False stops recording history at ingest. */
  historyEnabled?: boolean;
  /** History tiers, raw first (defaults when omitted). */
  historyTiers?: readonly Tier[];
  /** History queries answered at once, each on a thread of its own (SQLite). */
  historyQueryConcurrency?: number;
  /** History queries that may wait for a free slot; more are refused. */
  historyQueryQueue?: number;
  /** Longest a history query may run, seconds. */
  historyQueryTimeoutSeconds?: number;
  /** Most values (series × points) one history answer may hold. */
  historyMaxCells?: number;
}

/** Opens the configured backend (the embedded SQLite file by default). */
export async function openStore(config: StoreConfig): Promise<Store> {
  return new SqliteStore({
    dataDir: config.dataDir, synchronous: config.sqliteSynchronous,
    history: {
      ...(config.historyEnabled === undefined ? {} : { enabled: config.historyEnabled }),
      ...(config.historyTiers ? { tiers: config.historyTiers } : {}),
    },
    historyQueries: historyQueryLimits(config),
  });
}

function historyQueryLimits(config: StoreConfig): Partial<HistoryQueryLimits> {
  const limits: Partial<HistoryQueryLimits> = {};
  if (config.historyQueryConcurrency !== undefined) limits.concurrency = config.historyQueryConcurrency;
  if (config.historyQueryQueue !== undefined) limits.queue = config.historyQueryQueue;
  if (config.historyQueryTimeoutSeconds !== undefined) limits.timeoutMs = config.historyQueryTimeoutSeconds * 1000;
  if (config.historyMaxCells !== undefined) limits.maxCells = config.historyMaxCells;
  return limits;
}
