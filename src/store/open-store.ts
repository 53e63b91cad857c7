import type { Tier } from '../history/tiers.js';
import type { HistoryQueryLimits } from './history-queries.js';
import { join } from 'node:path';
import { SQLITE_FILE, SqliteStore } from './sqlite/sqlite-store.js';
import { storeOpenError } from './sqlite/open-errors.js';
import type { Store } from './store.js';

/** Which backend to open and how; chosen from config. */
export interface StoreConfig {
  /** A database reached by URL, its scheme naming the backend (URL_BACKENDS); undefined: SQLite in dataDir. */
  databaseUrl?: string | undefined;
  /** Directory of the embedded SQLite database. */
  dataDir: string;
  /** SQLite PRAGMA synchronous (see Config.sqliteSynchronous). */
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

type OpenBackend = (config: StoreConfig) => Promise<Store>;

/**
 * The backends reached by DATABASE_URL, by URL scheme without the colon. A
 * PostgreSQL store plugs in here as `postgres` (and `postgresql`); none is
 * built yet, so every URL is refused at config time.
 */
const URL_BACKENDS: Readonly<Record<string, OpenBackend>> = {};

/** The DATABASE_URL schemes this build can open (config refuses any other). */
export const DATABASE_URL_SCHEMES: readonly string[] = Object.keys(URL_BACKENDS);

/** Opens the configured backend: the one DATABASE_URL names, else the embedded SQLite file. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.databaseUrl === undefined) return openSqlite(config);
  const scheme = new URL(config.databaseUrl).protocol.slice(0, -1);
  const open = URL_BACKENDS[scheme];
  if (!open) throw new Error(`no store backend for DATABASE_URL scheme "${scheme}"`);
  return open(config);
}

async function openSqlite(config: StoreConfig): Promise<Store> {
  try {
    return newSqliteStore(config);
  } catch (error) {
    throw storeOpenError(error, join(config.dataDir, SQLITE_FILE)) ?? error;
  }
}

function newSqliteStore(config: StoreConfig): Store {
  return new SqliteStore({
    dataDir: config.dataDir,
    synchronous: config.sqliteSynchronous,
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
