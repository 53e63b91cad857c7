/**
 * An app on a fresh database of the selected store backend (STORE, else the
 * first of STORES: test/store/contract/backends.ts), for `inject` tests.
 */
import { buildApp, type BuildAppOptions } from '../../src/server/app.js';
import type { App, AppContext } from '../../src/server/context.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import {
  createDatabase,
  routeTestBackend,
  type TestDatabase,
  type TestStoreOptions,
} from '../store/contract/backends.js';

export const TEST_KEY = 'test-key-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${TEST_KEY}` };

export interface TestApp {
  app: App;
  ctx: AppContext;
  store: Store;
  /** The database under the store; another app may open it too (`sameDatabaseAs`). */
  database: TestDatabase;
  close: () => Promise<void>;
}

/**
 * `storeOptions` configure the store (history query limits, say);
 * `sameDatabaseAs` opens the database of another test app, as a second
 * server process would (its close leaves the database to that app).
 */
export async function testApp(
  options: Partial<BuildAppOptions> & { sameDatabaseAs?: TestApp; storeOptions?: TestStoreOptions } = {},
): Promise<TestApp> {
  const { storeOptions, sameDatabaseAs, ...appOptions } = options;
  const database = sameDatabaseAs?.database ?? createDatabase(routeTestBackend());
  const store = await database.open(storeOptions);
  const { app, ctx } = await buildApp({
    store,
    apiKey: TEST_KEY,
    staleThresholdSeconds: 300,
    corsOrigins: '*',
    bodyLimit: 2 * 1024 * 1024,
    ...appOptions,
  });
  return {
    app,
    ctx,
    store,
    database,
    close: async () => {
      await app.close();
      await store.close();
      if (!sameDatabaseAs) await database.drop();
    },
  };
}

/** The SQLite store behind a test app, for the few tests about SQLite itself; fails on any other backend. */
export function sqliteStoreOf(t: TestApp): SqliteStore {
  if (!(t.store instanceof SqliteStore))
    throw new Error(`this test needs the SQLite store; the test app runs on "${t.database.backend}"`);
  return t.store;
}
