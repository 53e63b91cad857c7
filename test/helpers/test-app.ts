/** An app on a real SQLite file in a temp dir, for `inject` tests. */
import { buildApp, type BuildAppOptions } from '../../src/server/app.js';
import type { App, AppContext } from '../../src/server/context.js';
import { SqliteStore, type SqliteStoreOptions } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from './temp-dir.js';

export const TEST_KEY = 'test-key-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${TEST_KEY}` };

export interface TestApp {
  app: App;
  ctx: AppContext;
  store: SqliteStore;
  dataDir: string;
  close: () => Promise<void>;
}

/** `storeOptions` configure the SqliteStore (history query limits, say). */
export async function testApp(options: Partial<BuildAppOptions> & { dataDir?: string; storeOptions?: Partial<SqliteStoreOptions> } = {}): Promise<TestApp> {
  const { storeOptions, ...appOptions } = options;
  const dir = options.dataDir ? undefined : tempDir();
  const dataDir = options.dataDir ?? dir!.path;
  const store = new SqliteStore({ ...storeOptions, dataDir });
  const { app, ctx } = await buildApp({
    store, apiKey: TEST_KEY, staleThresholdSeconds: 300, corsOrigins: '*', bodyLimit: 2 * 1024 * 1024, ...appOptions,
  });
  return {
    app, ctx, store, dataDir,
    close: async () => {
      await app.close();
      await store.close();
      dir?.remove();
    },
  };
}
