/** A start-up problem is one line naming the variable, a non-zero exit, and nothing written. */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, MAIN, runServerToExit, startServer } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function scratch(): string {
  const dir = tempDir('fw-startup-');
  cleanup.push(dir.remove);
  return dir.path;
}

/** Asserts the whole output is one configuration-error line about `variable` matching `message`. */
function expectOneLine(result: { code: number | null; output: string }, variable: string, message: RegExp): void {
  expect(result.code, result.output).toBe(2);
  const lines = result.output.trimEnd().split('\n');
  expect(lines, result.output).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^fleetwatch: configuration error: ${variable}: `));
  expect(lines[0]).toMatch(message);
}

/** True when uid 65534 can read the server and its dependencies (not so in a checkout under /root). */
function nobodyCanRunTheServer(): boolean {
  const othersReach = (path: string) => {
    for (let p = realpathSync(path); ; p = dirname(p)) {
      if ((statSync(p).mode & 0o005) === 0 && p !== path) return false;
      if (p === '/') return true;
    }
  };
  return othersReach(MAIN) && othersReach(join(dirname(MAIN), '../../node_modules/fastify/package.json'));
}

describe('start-up checks', () => {
  it('refuses a DATA_DIR that is a file, or lies under one', async () => {
    const file = join(scratch(), 'not-a-dir');
    writeFileSync(file, 'x');
    expectOneLine(await runServerToExit({ DATA_DIR: file }), 'DATA_DIR', /not-a-dir is a file, not a directory$/);
    expectOneLine(
      await runServerToExit({ DATA_DIR: join(file, 'data') }),
      'DATA_DIR',
      /not-a-dir\/data cannot be created: .*not-a-dir is a file$/,
    );
  });

  it('refuses a DATA_DIR on /proc at once (a recursive mkdir there spins forever)', async () => {
    const result = await runServerToExit({ DATA_DIR: '/proc/fleetwatch-data' }, { timeoutMs: 10_000 });
    expectOneLine(result, 'DATA_DIR', /\/proc\/fleetwatch-data is on procfs, a kernel interface that stores nothing/);
    expect(existsSync('/proc/fleetwatch-data')).toBe(false);
  });

  it('refuses a DATA_DIR it cannot create or write, and leaves nothing behind', async ({ skip }) => {
    const parent = scratch();
    // Root writes anywhere, so run the server as nobody under a directory of root's; others, under a read-only one.
    const asRoot = process.getuid?.() === 0;
    if (asRoot && !nobodyCanRunTheServer()) {
      console.warn('skipped: user nobody cannot read this checkout, so the server cannot run as nobody');
      skip();
    }
    chmodSync(parent, asRoot ? 0o755 : 0o555);
    cleanup.push(() => chmodSync(parent, 0o755));
    const as = asRoot ? { uid: 65534, gid: 65534 } : {};
    expectOneLine(
      await runServerToExit({ DATA_DIR: join(parent, 'a', 'b') }, as),
      'DATA_DIR',
      /a\/b cannot be created: permission denied$/,
    );
    expectOneLine(await runServerToExit({ DATA_DIR: parent }, as), 'DATA_DIR', /is not writable: permission denied$/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses a PORT already in use before it writes a key or a database', async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => holder.close(resolve)));
    const data = join(scratch(), 'data');
    expectOneLine(
      await runServerToExit({ DATA_DIR: data, PORT: String(port) }),
      'PORT',
      new RegExp(
        `^.*PORT: ${port} is already in use on 127\\.0\\.0\\.1; stop what listens there or choose another PORT$`,
      ),
    );
    expect(existsSync(data)).toBe(false);
  });

  it('refuses a HOST that does not resolve before it generates a key', async () => {
    const data = join(scratch(), 'data');
    expectOneLine(
      await runServerToExit({ DATA_DIR: data, HOST: 'no-such-host.invalid' }),
      'HOST',
      /"no-such-host\.invalid" cannot be resolved/,
    );
    expect(existsSync(data)).toBe(false);
  });

  it('creates a missing DATA_DIR, several levels deep, and leaves no check file in it', async () => {
    const data = join(scratch(), 'x', 'y', 'data');
    const server = await startServer({ DATA_DIR: data });
    cleanup.push(() => server.stop());
    expect(readdirSync(data).sort()).toEqual(['api-key', 'fleetwatch.db', 'fleetwatch.db-shm', 'fleetwatch.db-wal']);
  });

  it('says in one line, without a stack trace, that the database file is not a database, and leaves it as it was', async () => {
    const data = scratch();
    const garbage = Buffer.alloc(8192, 'not sqlite ');
    writeFileSync(join(data, 'fleetwatch.db'), garbage);
    const result = await runServerToExit({ DATA_DIR: data, API_KEY: 'startup-test-key-0123456789abcdef' });
    expect(result.code, result.output).toBe(2);
    const lines = result.output.trimEnd().split('\n');
    expect(lines, result.output).toHaveLength(1);
    expect(lines[0]).toBe(
      `fleetwatch: cannot open the database: ${join(data, 'fleetwatch.db')} is not a SQLite database; ` +
        'move it away to start with an empty one, or restore it from a backup (SQLITE_NOTADB)',
    );
    expect(readFileSync(join(data, 'fleetwatch.db')).equals(garbage)).toBe(true);
  });

  it('says in one line that the stored API key cannot be read, when API_KEY is not set', async () => {
    const data = scratch();
    mkdirSync(join(data, 'api-key'));
    expectOneLine(
      await runServerToExit({ DATA_DIR: data }),
      'API_KEY',
      /is not set and .*api-key cannot be read \(EISDIR\); make it a file this user can read, or set API_KEY$/,
    );
    expect(readdirSync(data)).toEqual(['api-key']);
  });
});
