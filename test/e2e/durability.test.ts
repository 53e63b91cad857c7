/** Real server processes on real SQLite files: restarts, kill -9, graceful stop. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeReport } from '../helpers/reports.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { httpRequest } from './http-client.js';

const KEY = 'e2e-key-0123456789abcdef';
const AUTH = { authorization: `Bearer ${KEY}` };
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function server(dataDir: string, env: Record<string, string> = {}, port?: number): Promise<ServerProcess> {
  const s = await startServer({ DATA_DIR: dataDir, API_KEY: KEY, ...env }, port);
  cleanup.push(() => s.stop('SIGKILL'));
  return s;
}
function data() {
  const dir = tempDir();
  cleanup.push(dir.remove);
  return dir.path;
}
const aliases = async (url: string) =>
  JSON.parse((await httpRequest(`${url}/api/status`)).body).results.map(
    (r: { server_alias: string }) => r.server_alias,
  ) as string[];

describe('persistence', () => {
  it('keeps every host, its state and the inventory across a restart', async () => {
    const dir = data();
    const first = await server(dir);
    for (const alias of ['a', 'b', 'c']) {
      expect(
        (
          await httpRequest(
            `${first.url}/api/report`,
            'POST',
            makeReport(alias, { uptime_seconds: alias.charCodeAt(0) }),
            AUTH,
          )
        ).status,
      ).toBe(200);
    }
    const machinesBefore = (await httpRequest(`${first.url}/api/machines`)).body;
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await server(dir, {}, first.port);
    expect(await aliases(second.url)).toEqual(['a', 'b', 'c']);
    const entry = JSON.parse((await httpRequest(`${second.url}/api/status`)).body).results[1];
    expect(entry.uptime_seconds).toBe('b'.charCodeAt(0));
    expect((await httpRequest(`${second.url}/api/machines`)).body).toBe(machinesBefore);
  });

  it('loses no acknowledged report when killed with SIGKILL under load', async () => {
    const dir = data();
    const s = await server(dir);
    const acknowledged: string[] = [];
    let sent = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const alias = `host-${sent++}`;
        try {
          const res = await httpRequest(`${s.url}/api/report`, 'POST', makeReport(alias), AUTH);
          if (res.status === 200) acknowledged.push(alias);
        } catch {
          /* the server died mid-request: not acknowledged */
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 5));
    s.child.kill('SIGKILL'); // requests are still in flight
    stop = true;
    await Promise.all(workers);
    await s.stop();

    const again = await server(dir);
    const stored = new Set(await aliases(again.url));
    const lost = acknowledged.filter((a) => !stored.has(a));
    expect(lost).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
  });

  it('finishes in-flight requests on SIGTERM, keeps what it acknowledged, then exits 0', async () => {
    const dir = data();
    const s = await server(dir);
    const inflight = Array.from({ length: 40 }, (_, i) =>
      httpRequest(`${s.url}/api/report`, 'POST', makeReport(`h${i}`), AUTH),
    );
    await new Promise((r) => setTimeout(r, 20));
    const exit = s.stop('SIGTERM');
    const results = await Promise.allSettled(inflight);
    expect(await exit).toBe(0);
    expect(s.output()).toContain('shutting down');
    // Each request completed (200), was refused while closing (503), or never connected: none failed half-way.
    const acknowledged: string[] = [];
    results.forEach((r, i) => {
      if (r.status !== 'fulfilled') return;
      expect([200, 503]).toContain(r.value.status);
      if (r.value.status === 503)
        expect(JSON.parse(r.value.body)).toEqual({ detail: 'Server is shutting down; retry shortly' });
      if (r.value.status === 200) acknowledged.push(`h${i}`);
    });
    const again = await server(dir);
    const stored = new Set(await aliases(again.url));
    expect(acknowledged.filter((a) => !stored.has(a))).toEqual([]);
  });
});

describe('start-up', () => {
  it('stops with a message naming a bad variable', async () => {
    await expect(startServer({ DATA_DIR: data(), API_KEY: KEY, PORT: 'eighty' }, 1)).rejects.toThrow(
      /configuration error: PORT: expected a whole number/,
    );
  });

  it("refuses the original README's placeholder key", async () => {
    await expect(startServer({ DATA_DIR: data(), API_KEY: 'your-super-secret-key-change-this' })).rejects.toThrow(
      /API_KEY: is a well-known placeholder/,
    );
  });

  it('reads a .env file in its working directory, with real variables winning', async () => {
    const dir = data();
    writeFileSync(join(dir, '.env'), 'API_KEY=dotenv-key-0123456789abcdef\nSTALE_THRESHOLD_SECONDS=oops\n');
    await expect(startServer({ DATA_DIR: dir }, undefined, dir)).rejects.toThrow(
      /STALE_THRESHOLD_SECONDS: expected a whole number, got "oops"/,
    );
    const s = await startServer({ DATA_DIR: dir, STALE_THRESHOLD_SECONDS: '60' }, undefined, dir);
    cleanup.push(() => s.stop('SIGKILL'));
    expect(
      (
        await httpRequest(`${s.url}/api/report`, 'POST', makeReport('d'), {
          authorization: 'Bearer dotenv-key-0123456789abcdef',
        })
      ).status,
    ).toBe(200);
  });

  it('generates and prints a key on first start when API_KEY is unset, and it works', async () => {
    const dir = data();
    const s = await startServer({ DATA_DIR: dir, API_KEY: '' });
    cleanup.push(() => s.stop('SIGKILL'));
    const key = /Authorization: Bearer ([0-9a-f]{64})/.exec(s.output())?.[1];
    expect(key).toBeDefined();
    expect(
      (await httpRequest(`${s.url}/api/report`, 'POST', makeReport('k'), { authorization: `Bearer ${key}` })).status,
    ).toBe(200);
    expect((await httpRequest(`${s.url}/api/report`, 'POST', makeReport('k'))).status).toBe(401);
  });
});

describe('WORKERS=3', () => {
  it('answers with the same data from every worker, at once', async () => {
    const s = await server(data(), { WORKERS: '3' });
    // The server answers once the first worker listens; wait (bounded) until all three do.
    const seenWorkers = new Set<string>();
    const deadline = Date.now() + 30_000;
    while (seenWorkers.size < 3 && Date.now() < deadline) {
      seenWorkers.add(String((await httpRequest(`${s.url}/`)).headers['x-fleetwatch-worker']));
    }
    expect(seenWorkers.size).toBe(3);
    for (let i = 0; i < 12; i++) {
      const post = await httpRequest(`${s.url}/api/report`, 'POST', makeReport(`w${i}`), AUTH);
      expect(post.status).toBe(200);
      // Right after the 200, every worker must already show it.
      for (let j = 0; j < 3; j++) {
        const status = await httpRequest(`${s.url}/api/status`);
        expect(JSON.parse(status.body).results.map((r: { server_alias: string }) => r.server_alias)).toContain(`w${i}`);
      }
    }
    expect(await s.stop('SIGTERM')).toBe(0);
  });
});
