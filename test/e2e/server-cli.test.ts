/** The server's command line: --help and --version answer and exit; anything else stops it before it writes anything. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runServerToExit } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const dirs: { remove: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function dataDir(): string {
  const dir = tempDir('fw-cli-');
  dirs.push(dir);
  return join(dir.path, 'data');
}

it('answers --help with the usage and the defaults the configuration applies, and starts nothing', async () => {
  const data = dataDir();
  for (const flag of ['--help', '-h']) {
    const result = await runServerToExit({ DATA_DIR: data, PORT: '9123' }, { args: [flag] });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`fleetwatch ${VERSION}: the Fleetwatch server`);
    expect(result.output).toMatch(/^ {2}PORT +port \[8000\]$/m);
    expect(result.output).toMatch(/^ {2}STALE_THRESHOLD_SECONDS .*\[300\]$/m);
    expect(result.output).toContain('.env.example');
  }
  expect(() => readdirSync(data)).toThrow(/ENOENT/);
});

it('answers --version with package.json version', async () => {
  for (const flag of ['--version', '-v']) {
    const result = await runServerToExit({ DATA_DIR: dataDir() }, { args: [flag] });
    expect(result.code).toBe(0);
    expect(result.output).toBe(`${VERSION}\n`);
  }
});

it('refuses an unknown argument in one line, exit 2, before it generates a key or a database', async () => {
  const data = dataDir();
  const result = await runServerToExit({ DATA_DIR: data }, { args: ['--port', '9000'] });
  expect(result.code).toBe(2);
  expect(result.output).toBe(
    'fleetwatch: unknown argument "--port": settings are environment variables; see fleetwatch --help\n',
  );
  expect(() => readdirSync(data)).toThrow(/ENOENT/);
});
