import type { Tier } from '../history/tiers.js';
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
}

/** Opens the configured backend (the embedded SQLite file by default). */
export async function openStore(config: StoreConfig): Promise<Store> {
  return new SqliteStore({
    dataDir: config.dataDir, synchronous: config.sqliteSynchronous,
    history: {
      ...(config.historyEnabled === undefined ? {} : { enabled: config.historyEnabled }),
      ...(config.historyTiers ? { tiers: config.historyTiers } : {}),
    },
  });
}
