/**
 * The store backends that the contract suite and the route tests run on,
 * named by the STORES variable (comma-separated, default "sqlite"), as
 * Kysely's suite loops over its DIALECTS. A second backend joins by adding
 * a factory to BACKENDS; an unknown name fails the run loudly instead of
 * quietly testing less.
 */
import type { Tier } from '../../../src/history/tiers.js';
import type { HistoryQueryLimits } from '../../../src/store/history-queries.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** Settings every backend understands, for the stores a test opens. */
export interface TestStoreOptions {
  /** History switches and tiers (the backend's defaults where omitted). */
  history?: { enabled?: boolean; tiers?: readonly Tier[] };
  /** Limits on history queries (DEFAULT_HISTORY_QUERY_LIMITS where omitted). */
  historyQueries?: Partial<HistoryQueryLimits>;
}

/** A fresh, empty database of one backend, and the stores opened on it. */
export interface TestDatabase {
  /** The backend's name, as STORES spells it. */
  readonly backend: string;
  /**
   * Opens a Store on this database. Several may be open at once where the
   * backend is capabilities.sharedAcrossProcesses (as server processes
   * would be); closing one and opening again is a restart.
   */
  open(options?: TestStoreOptions): Promise<Store>;
  /** Closes every store still open on it and removes the database. */
  drop(): Promise<void>;
}

type CreateDatabase = () => TestDatabase;

const BACKENDS: Readonly<Record<string, CreateDatabase>> = {
  sqlite: sqliteDatabase,
};

/** The backend names STORES selects, in its order; throws on an unknown or empty list. */
export function selectedBackends(env: Record<string, string | undefined> = process.env): string[] {
  const names = (env['STORES'] ?? 'sqlite')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0)
    throw new Error('STORES names no store backend (known: ' + Object.keys(BACKENDS).join(', ') + ')');
  for (const name of names) checkKnown('STORES', name);
  return names;
}

/** The backend the route tests use: STORE, else the first of STORES. */
export function routeTestBackend(env: Record<string, string | undefined> = process.env): string {
  const name = env['STORE']?.trim();
  if (name) return checkKnown('STORE', name);
  return selectedBackends(env)[0]!;
}

/** A fresh, empty database of the named backend. */
export function createDatabase(backend: string): TestDatabase {
  return BACKENDS[checkKnown('backend', backend)]!();
}

function checkKnown(variable: string, name: string): string {
  if (!Object.hasOwn(BACKENDS, name)) {
    throw new Error(
      `${variable} names an unknown store backend "${name}" (known: ${Object.keys(BACKENDS).join(', ')})`,
    );
  }
  return name;
}

function sqliteDatabase(): TestDatabase {
  const dir = tempDir();
  const opened: SqliteStore[] = [];
  return {
    backend: 'sqlite',
    open: async (options = {}) => {
      const store = new SqliteStore({ dataDir: dir.path, ...options });
      opened.push(store);
      return store;
    },
    drop: async () => {
      for (const store of opened.splice(0)) if (store.db.open) await store.close();
      dir.remove();
    },
  };
}
