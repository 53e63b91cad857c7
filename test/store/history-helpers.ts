/** Shared set-up for history store tests: a real SQLite file and reports at chosen times. */
import { normalizeReport, type NormalizedReport, type ReportInput } from '../../src/contract/index.js';
import { SqliteStore, type SqliteStoreOptions } from '../../src/store/sqlite/sqlite-store.js';
import { makeReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/temp-dir.js';

export const T0 = Date.parse('2026-01-05T00:00:00Z');
export const T0S = T0 / 1000;

/** A normalized report of `alias` stamped at `ms`, with overrides. */
export function reportAt(alias: string, ms: number, overrides: Partial<ReportInput> = {}): NormalizedReport {
  const normalized = normalizeReport(makeReport(alias, { timestamp: new Date(ms).toISOString(), ...overrides }));
  if (Array.isArray(normalized)) throw new Error('test report does not normalize');
  return normalized;
}

/** A report whose CPU percent is `cpu` (other values as makeReport). */
export function cpuReport(alias: string, ms: number, cpu: number): NormalizedReport {
  return reportAt(alias, ms, { cpu: { percent: cpu, loadavg: { '1m': 1, '5m': 1, '15m': 1 } } });
}

export interface StoreDir {
  store: SqliteStore;
  dir: string;
  reopen: (options?: Partial<SqliteStoreOptions>) => Promise<SqliteStore>;
  remove: () => Promise<void>;
}

/** Opens a store in a fresh temp dir; `reopen` closes and opens it again (a restart). */
export function openTempStore(options: Partial<SqliteStoreOptions> = {}): StoreDir {
  const dir = tempDir();
  const handle: StoreDir = {
    store: new SqliteStore({ dataDir: dir.path, ...options }),
    dir: dir.path,
    reopen: async (more = {}) => {
      await handle.store.close();
      handle.store = new SqliteStore({ dataDir: dir.path, ...options, ...more });
      return handle.store;
    },
    remove: async () => {
      await handle.store.close();
      dir.remove();
    },
  };
  return handle;
}

/** Runs maintenance until idle at `nowMs`; returns the batches run. */
export async function maintainAll(store: SqliteStore, nowMs: number): Promise<number> {
  let batches = 0;
  while (await store.historyMaintenance(nowMs)) {
    batches++;
    if (batches > 100_000) throw new Error('maintenance never settles');
  }
  return batches;
}
