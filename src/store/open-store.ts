import type { Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/** Which backend to open; chosen from config. */
export interface StoreConfig {
  dataDir: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
}

/** Opens the configured backend (the embedded SQLite file by default). */
export async function openStore(config: StoreConfig): Promise<Store> {
  return new SqliteStore({ dataDir: config.dataDir, synchronous: config.sqliteSynchronous });
}
