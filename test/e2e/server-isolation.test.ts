/** Test servers see only what a test passes: not the runner's exported variables, nor a .env where it runs. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A value the server refuses: a server that picked it up would not start. */
const POISON = 'STALE_THRESHOLD_SECONDS=oops';

describe('test server isolation', () => {
  it("ignores the test runner's exported variables", async () => {
    const saved = process.env.STALE_THRESHOLD_SECONDS;
    process.env.STALE_THRESHOLD_SECONDS = 'oops';
    cleanup.push(() => {
      if (saved === undefined) delete process.env.STALE_THRESHOLD_SECONDS;
      else process.env.STALE_THRESHOLD_SECONDS = saved;
    });
    const data = tempDir('fw-isolation-');
    cleanup.push(data.remove);
    const server = await startServer({ DATA_DIR: data.path, API_KEY: 'isolation-key-0123456789' });
    cleanup.push(() => server.stop());
    expect(server.output()).not.toContain('STALE_THRESHOLD_SECONDS');
  });

  it('ignores a .env in the directory the tests run from', async () => {
    const checkout = tempDir('fw-isolation-checkout-');
    cleanup.push(checkout.remove);
    writeFileSync(join(checkout.path, '.env'), `${POISON}\n`);
    const before = process.cwd();
    process.chdir(checkout.path);
    cleanup.push(() => process.chdir(before));
    const server = await startServer({ DATA_DIR: join(checkout.path, 'data'), API_KEY: 'isolation-key-0123456789' });
    cleanup.push(() => server.stop());
    expect(server.output()).not.toContain('STALE_THRESHOLD_SECONDS');
  });
});
