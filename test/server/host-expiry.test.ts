/** HOST_EXPIRE_DAYS over inject on a real SQLite file with the clock injected, and in the built server. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { normalizeReport, type NormalizedReport } from '../../src/contract/index.js';
import type { FleetChange } from '../../src/server/fleet-monitor.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { makeReport } from '../helpers/reports.js';
import { startServer } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const DAY = 86_400_000;
const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0).reverse()) await app.close();
});

let clock = T0;
/** An app whose log lines land in `lines`, on the database of `sameDatabaseAs` if given. */
async function appWith(options: { hostExpireDays?: number; sameDatabaseAs?: TestApp }, lines: string[] = []) {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const t = await testApp({ now: () => clock, logger: pino({ level: 'info' }, sink), ...options });
  apps.push(t);
  return t;
}
async function post(t: TestApp, alias: string, at: number): Promise<void> {
  clock = at;
  const payload = makeReport(alias, { timestamp: new Date(at).toISOString() });
  expect((await t.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload })).statusCode).toBe(200);
}
const aliases = async (t: TestApp) =>
  (await t.app.inject({ method: 'GET', url: '/api/status' }))
    .json()
    .results.map((e: { server_alias: string }) => e.server_alias);
const expiredLines = (lines: string[]) =>
  lines.map((l) => JSON.parse(l)).filter((l) => String(l.msg).startsWith('host expired'));

describe('HOST_EXPIRE_DAYS', () => {
  it('removes a host silent for longer, with its history, logs it once and tells the fleet monitor', async () => {
    clock = T0;
    const lines: string[] = [];
    const t = await appWith({ hostExpireDays: 7 }, lines);
    await post(t, 'retired', T0);
    await post(t, 'busy', T0 + 6 * DAY);
    const changes: FleetChange[] = [];
    t.ctx.monitor.subscribe((change) => changes.push(change));

    clock = T0 + 7 * DAY; // silent exactly 7 days: kept
    expect(await t.ctx.hostExpiry!.run()).toBe(0);
    clock = T0 + 7 * DAY + 1;
    expect(await t.ctx.hostExpiry!.run()).toBe(1);
    expect(await t.ctx.hostExpiry!.run()).toBe(0);

    expect(changes.map((c) => [c.type, c.alias])).toEqual([['deleted', 'retired']]);
    expect(await aliases(t)).toEqual(['busy']);
    expect((await t.app.inject({ method: 'GET', url: '/api/history/retired' })).statusCode).toBe(404);
    expect(expiredLines(lines)).toEqual([
      expect.objectContaining({
        level: 30,
        alias: 'retired',
        lastReportAt: new Date(T0).toISOString(),
        expireDays: 7,
        msg: 'host expired: no report for longer than HOST_EXPIRE_DAYS; removed with its history',
      }),
    ]);
    // Its agent starting again brings it back as a new host.
    await post(t, 'retired', T0 + 8 * DAY);
    expect(await aliases(t)).toEqual(['busy', 'retired']);
  });

  it('looks once at start, and another process sharing the database sees the host go', async () => {
    clock = T0;
    const first = await appWith({});
    await post(first, 'old', T0);
    await post(first, 'new', T0 + 29 * DAY);
    expect(first.ctx.hostExpiry).toBeUndefined(); // off unless set
    const changes: FleetChange[] = [];
    first.ctx.monitor.subscribe((change) => changes.push(change));

    clock = T0 + 30 * DAY + 1;
    const lines: string[] = [];
    const second = await appWith({ hostExpireDays: 30, sameDatabaseAs: first }, lines);
    await vi.waitFor(() => expect(expiredLines(lines).map((l) => l.alias)).toEqual(['old']));
    expect(await aliases(second)).toEqual(['new']);
    expect(await aliases(first)).toEqual(['new']);
    // Both went down as the clock moved on; only one was deleted.
    expect(changes.filter((c) => c.type === 'deleted').map((c) => c.alias)).toEqual(['old']);
  });

  it('removes a whole silent fleet in bounded writes, one log line per host', async () => {
    clock = T0;
    const lines: string[] = [];
    const t = await appWith({ hostExpireDays: 1 }, lines);
    for (let i = 0; i < 230; i++) await post(t, `h${i}`, T0 + i);
    clock = T0 + 2 * DAY;
    const writes = vi.spyOn(t.store, 'expireHosts');
    expect(await t.ctx.hostExpiry!.run()).toBe(230);
    expect(writes.mock.calls.map(([, limit]) => limit)).toEqual([100, 100, 100]);
    expect(new Set(expiredLines(lines).map((l) => l.alias)).size).toBe(230);
    expect(expiredLines(lines)).toHaveLength(230);
    expect(await t.store.countHosts()).toBe(0);
  });

  it('runs in the built server from the environment: a host silent for 3 days goes at start with HOST_EXPIRE_DAYS=2', async () => {
    const dir = tempDir();
    try {
      const store = new SqliteStore({ dataDir: dir.path });
      const now = Date.now();
      for (const [alias, at] of [
        ['gone', now - 3 * DAY],
        ['here', now],
      ] as const) {
        await store.ingest(
          normalizeReport(makeReport(alias, { timestamp: new Date(at).toISOString() })) as NormalizedReport,
          at,
        );
      }
      await store.close();
      const server = await startServer({ DATA_DIR: dir.path, API_KEY: 'k'.repeat(32), HOST_EXPIRE_DAYS: '2' });
      try {
        const listed = async () =>
          (
            (await (await fetch(`${server.url}/api/status`)).json()) as { results: { server_alias: string }[] }
          ).results.map((e) => e.server_alias);
        await vi.waitFor(async () => expect(await listed()).toEqual(['here']), { timeout: 10_000 });
        const logged = server
          .output()
          .split('\n')
          .filter((l) => l.includes('host expired'));
        expect(logged).toHaveLength(1);
        expect(JSON.parse(logged[0]!)).toMatchObject({ alias: 'gone', expireDays: 2 });
      } finally {
        await server.stop();
      }
    } finally {
      dir.remove();
    }
  });
});
