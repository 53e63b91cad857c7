/**
 * Shutdown ends within its limit whatever happens to the server's stdout:
 * a reader that stopped reading (a full pipe), one that exits mid-shutdown
 * (`npm start | head`), or one gone before it began.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, spawnServer } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { httpRequest } from './http-client.js';
import { SHUTDOWN_GRACE_MS } from '../../src/server/shutdown-steps.js';

const KEY = 'shutdown-key-0123456789abcdef';
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A server whose stdout is a pipe this test holds and does not read. */
async function serverWithUnreadStdout(): Promise<{ child: ChildProcess; url: string }> {
  const dir = tempDir('fw-shutdown-out-');
  const port = await freePort();
  const child = spawnServer({ DATA_DIR: dir.path, API_KEY: KEY, PORT: String(port) });
  cleanup.push(() => dir.remove());
  cleanup.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; ;) {
    if ((await httpRequest(`${url}/`).catch(() => undefined))?.status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url };
}

/** Logs a few hundred KB: every rejected request is a line carrying its (here 4 KB) URL. */
async function logALot(url: string): Promise<void> {
  const long = 'x'.repeat(4000);
  for (let i = 0; i < 80; i++)
    expect((await httpRequest(`${url}/api/report?pad=${long}`, 'POST', {})).status).toBe(401);
}

/** Sends SIGTERM, runs `meanwhile`, and resolves with the exit code and how long the exit took. */
async function terminate(
  child: ChildProcess,
  meanwhile = async () => {},
): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  await meanwhile();
  const code = await Promise.race([
    exited,
    new Promise<'hung'>((r) => setTimeout(() => r('hung'), SHUTDOWN_GRACE_MS + 5000)),
  ]);
  expect(code, 'the server was still running past the shutdown limit').not.toBe('hung');
  return { code: code as number | null, ms: Date.now() - started };
}

describe('shutdown and stdout', () => {
  it('ends when the reader of stdout has stopped reading and the pipe is full', async () => {
    const { child, url } = await serverWithUnreadStdout();
    await logALot(url);
    const { code, ms } = await terminate(child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(SHUTDOWN_GRACE_MS);
  });

  it('ends when the reader of stdout exits during the shutdown', async () => {
    const { child, url } = await serverWithUnreadStdout();
    await logALot(url);
    const { code, ms } = await terminate(child, async () => {
      await new Promise((r) => setTimeout(r, 200));
      child.stdout!.destroy();
    });
    expect(code).toBe(0);
    expect(ms).toBeLessThan(SHUTDOWN_GRACE_MS);
  });

  it('ends, and keeps serving before, when the reader of stdout exited first', async () => {
    const { child, url } = await serverWithUnreadStdout();
    child.stdout!.destroy();
    await logALot(url);
    const { code, ms } = await terminate(child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(SHUTDOWN_GRACE_MS);
  });
});
