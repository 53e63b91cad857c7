/** The latest-state side of the SQLite store, on real files. */
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeReport, type NormalizedReport } from '../../../src/contract/index.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { makeReport } from '../../helpers/reports.js';
import { tempDir } from '../../helpers/temp-dir.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => { for (const fn of cleanup.splice(0).reverse()) await fn(); });

function open(dataDir?: string): SqliteStore {
  const dir = dataDir ?? (() => { const d = tempDir(); cleanup.push(d.remove); return d.path; })();
  const store = new SqliteStore({ dataDir: dir });
  cleanup.push(() => store.close());
  return store;
}
const report = (alias: string, over: Parameters<typeof makeReport>[1] = {}) => normalizeReport(makeReport(alias, over)) as NormalizedReport;

describe('SqliteStore latest state', () => {
  it('moves received_at forward on every write, even within one millisecond', async () => {
    const store = open();
    const at = Date.parse('2026-01-01T00:00:00Z');
    await store.ingest(report('a', { timestamp: '2026-01-01T00:00:00Z', uptime_seconds: 1 }), at);
    await store.ingest(report('a', { timestamp: '2026-01-01T00:00:00Z', uptime_seconds: 2 }), at);
    await store.ingest(report('a', { timestamp: '2025-12-31T00:00:00Z', uptime_seconds: 3 }), at); // late
    const [version] = await store.listHostVersions();
    expect(version).toEqual({ alias: 'a', receivedAt: at + 2, reportTime: at });
    expect((await store.getHost('a'))!.report.uptime_seconds).toBe(2);
  });

  it('lists versions in first-report order without reading reports', async () => {
    const store = open();
    await store.ingest(report('z'), 1_000);
    await store.ingest(report('y'), 2_000);
    expect((await store.listHostVersions()).map((v) => v.alias)).toEqual(['z', 'y']);
  });

  it('changes its change token when another connection commits', async () => {
    const store = open();
    const other = open(store.db.name.replace(/\/fleetwatch\.db$/, ''));
    const before = await store.changeToken();
    expect(await store.changeToken()).toBe(before);
    await other.ingest(report('x'), Date.now());
    const afterReport = await store.changeToken();
    expect(afterReport).not.toBe(before);
    await other.deleteHost('x');
    expect(await store.changeToken()).not.toBe(afterReport);
  });

  it('keeps its change token when another connection commits only history (the maintenance thread does, all the time)', async () => {
    const store = open();
    const other = open(store.db.name.replace(/\/fleetwatch\.db$/, ''));
    await store.ingest(report('x', { timestamp: '2026-01-01T00:00:00Z' }), Date.parse('2026-01-01T00:00:00Z'));
    const dataVersion = () => store.db.pragma('data_version', { simple: true });
    const [token, version] = [await store.changeToken(), dataVersion()];
    // Folds the first minute into the 1-minute tier: a write by the other connection, to history only.
    expect(await other.historyMaintenance(Date.parse('2026-01-01T01:00:00Z'))).toBe(true);
    expect(dataVersion()).not.toBe(version);
    expect(await store.changeToken()).toBe(token);
  });

  it('changes its change token when a late report only moves received_at', async () => {
    const store = open();
    await store.ingest(report('a', { timestamp: '2026-01-01T00:01:00Z' }), 1_000);
    const before = await store.changeToken();
    await store.ingest(report('a', { timestamp: '2026-01-01T00:00:00Z' }), 2_000);
    expect(await store.changeToken()).not.toBe(before);
  });
});
