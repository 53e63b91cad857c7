/**
 * What the contract suite cannot check portably about the SQLite store's
 * hosts: the change token against SQLite's own data_version, and a real
 * SQLITE_FULL turned into StorageFullError.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { StorageFullError } from '../../../src/store/store.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { cpuReport, maintainAll, reportAt, T0 } from '../contract/fixtures.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function open(dataDir?: string): SqliteStore {
  const dir =
    dataDir ??
    (() => {
      const d = tempDir();
      cleanup.push(d.remove);
      return d.path;
    })();
  const store = new SqliteStore({ dataDir: dir });
  cleanup.push(() => store.close());
  return store;
}

describe('SqliteStore hosts', () => {
  it('keeps its change token while another connection commits only history, although data_version moves', async () => {
    const store = open();
    const other = open(store.db.name.replace(/\/fleetwatch\.db$/, ''));
    await store.ingest(reportAt('x', T0), T0);
    const dataVersion = () => store.db.pragma('data_version', { simple: true });
    const [token, version] = [await store.othersChangeToken(), dataVersion()];
    // Folds the first minute into the 1-minute tier: a write by the other connection, to history only.
    expect(await other.historyMaintenance(T0 + 3_600_000)).toBe(true);
    expect(dataVersion()).not.toBe(version);
    expect(await store.othersChangeToken()).toBe(token);
  });

  it('rejects a report with StorageFullError when the database may not grow, stores none of it, and recovers', async () => {
    const store = open();
    await store.ingest(cpuReport('first', T0, 1), T0);
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 2}`);
    let failed: string | undefined;
    let error: unknown;
    for (let i = 0; i < 200 && failed === undefined; i++) {
      const alias = `full-${i}`;
      await store.ingest(cpuReport(alias, T0 + 1000, 1), T0 + 1000).catch((e: unknown) => {
        failed = alias;
        error = e;
      });
    }
    expect(error).toBeInstanceOf(StorageFullError);
    expect(await store.getHost(failed!)).toBeUndefined();
    expect(await store.readHistory(failed!, 'raw', 0, T0)).toBeUndefined();
    const stored = await store.countHosts();
    store.db.pragma('max_page_count = 1073741823');
    expect(await store.ingest(cpuReport(failed!, T0 + 2000, 1), T0 + 2000)).toMatchObject({
      latest: true,
      newHost: true,
    });
    expect(await store.countHosts()).toBe(stored + 1);
  });
});
