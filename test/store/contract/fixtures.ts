/** Shared set-up of the store contract suite: a fresh database per test, reports at chosen times, maintenance. */
import { afterEach, beforeEach } from 'vitest';
import { normalizeReport, type NormalizedReport, type ReportInput } from '../../../src/contract/index.js';
import type { HistoryRow } from '../../../src/history/types.js';
import type { Store } from '../../../src/store/store.js';
import { makeReport } from '../../helpers/reports.js';
import { createDatabase, type TestDatabase } from './backends.js';

export const T0 = Date.parse('2026-01-05T00:00:00Z');
export const T0S = T0 / 1000;

/** A normalized report of `alias` stamped at `ms` by the agent's clock, with overrides. */
export function reportAt(alias: string, ms: number, overrides: Partial<ReportInput> = {}): NormalizedReport {
  const normalized = normalizeReport(makeReport(alias, { timestamp: new Date(ms).toISOString(), ...overrides }));
  if (Array.isArray(normalized)) throw new Error('test report does not normalize');
  return normalized;
}

/** A report stamped at `ms` whose CPU percent is `cpu` (and nothing else varies). */
export function cpuReport(
  alias: string,
  ms: number,
  cpu: number,
  overrides: Partial<ReportInput> = {},
): NormalizedReport {
  return reportAt(alias, ms, { cpu: { percent: cpu, loadavg: { '1m': 1, '5m': 1, '15m': 1 } }, ...overrides });
}

/**
 * A fresh database of `backend` for each test of the calling describe
 * block, dropped after it; call the returned function inside a test.
 */
export function freshDatabase(backend: string): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeEach(() => {
    database = createDatabase(backend);
  });
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });
  return () => database!;
}

/** Runs history maintenance as of `nowMs` until no work is waiting; returns how many batches left more waiting. */
export async function maintainAll(store: Store, nowMs: number): Promise<number> {
  let batches = 0;
  while (await store.historyMaintenance(nowMs)) {
    if (++batches > 100_000) throw new Error('maintenance never settles');
  }
  return batches;
}

/** The value of series `key` in a history row (undefined when the row lacks it). */
export function valueOf(row: HistoryRow | undefined, key: string, which: 'avg' | 'max' = 'avg'): number | undefined {
  const i = row ? row.keys.indexOf(key) : -1;
  return i < 0 ? undefined : row![which][i];
}
