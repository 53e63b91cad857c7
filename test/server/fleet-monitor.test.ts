/**
 * The fleet monitor, the one source of host changes, on real SQLite files:
 * it announces this process's reports from what the route stored (never
 * reading the host back), another process's commits by reading only the
 * hosts that moved, and `down` by the server's clock.
 */
import { afterEach, expect, it, vi } from 'vitest';
import type { FleetChange } from '../../src/server/fleet-monitor.js';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { makeReport } from '../helpers/reports.js';

const START = Date.parse('2026-01-01T00:00:00Z');
let clock = START;
const apps: TestApp[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const t of apps.splice(0).reverse()) await t.close();
  clock = START;
});

async function app(options: Parameters<typeof testApp>[0] = {}): Promise<{ t: TestApp; heard: FleetChange[] }> {
  const t = await testApp({ now: () => clock, ...options });
  apps.push(t);
  const heard: FleetChange[] = [];
  t.ctx.monitor.subscribe((change) => heard.push(change));
  return { t, heard };
}

async function post(t: TestApp, alias: string, overrides: Parameters<typeof makeReport>[1] = {}): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/report',
    headers: AUTH,
    payload: makeReport(alias, overrides),
  });
  expect(res.statusCode).toBe(200);
}

const summary = (changes: FleetChange[]) => changes.map((c) => `${c.type} ${c.alias}`);

it("announces this process's reports and deletions from what it stored, without reading a host back or listing the fleet", async () => {
  const { t, heard } = await app();
  const getHost = vi.spyOn(t.store, 'getHost');
  const getHosts = vi.spyOn(t.store, 'getHosts');
  const listHostVersions = vi.spyOn(t.store, 'listHostVersions');
  await post(t, 'a', { uptime_seconds: 1 });
  await post(t, 'b');
  clock += 1000;
  await post(t, 'a', { uptime_seconds: 2 });
  await t.app.inject({ method: 'DELETE', url: '/api/server/b', headers: AUTH });
  const status = (await t.app.inject({ method: 'GET', url: '/api/status' })).json();

  expect(summary(heard)).toEqual(['report a', 'report b', 'report a', 'deleted b']);
  const again = heard[2] as Extract<FleetChange, { host: unknown }>;
  expect(again.host.report.uptime_seconds).toBe(2);
  expect(again.before).toMatchObject({ receivedAt: START, up: true });
  expect(
    status.results.map((r: { server_alias: string; uptime_seconds: number }) => [r.server_alias, r.uptime_seconds]),
  ).toEqual([['a', 2]]);
  expect(getHost).not.toHaveBeenCalled();
  expect(getHosts).not.toHaveBeenCalled();
  // Its own writes do not make a dashboard read re-list every host (only another process's do).
  expect(listHostVersions).not.toHaveBeenCalled();
});

it("sees another process's commits, reading only the hosts whose version moved", async () => {
  const { t, heard } = await app();
  for (const alias of ['x', 'y', 'z']) await post(t, alias);
  const other = await testApp({ sameDatabaseAs: t, now: () => clock });
  apps.push(other);
  clock += 1000;
  await post(other, 'y', { uptime_seconds: 7 });
  await post(other, 'w');
  await other.app.inject({ method: 'DELETE', url: '/api/server/z', headers: AUTH });
  const getHosts = vi.spyOn(t.store, 'getHosts');
  heard.length = 0;
  await t.ctx.monitor.catchUp();

  expect(getHosts).toHaveBeenCalledTimes(1);
  expect(getHosts.mock.calls[0]![0]).toEqual(['y', 'w']);
  expect(summary(heard)).toEqual(['deleted z', 'report y', 'report w']);
  expect(heard.find((c) => c.alias === 'w')?.before).toBeUndefined();
  const status = (await t.app.inject({ method: 'GET', url: '/api/status' })).json();
  expect(
    status.results.map((r: { server_alias: string; uptime_seconds: number }) => [r.server_alias, r.uptime_seconds]),
  ).toEqual([
    ['x', 2_592_000],
    ['y', 7],
    ['w', 2_592_000],
  ]);
  // Nothing moved since: nothing is read again, nothing is announced twice.
  await t.ctx.monitor.catchUp();
  expect(getHosts).toHaveBeenCalledTimes(1);
  expect(heard).toHaveLength(3);
});

it('says `down` once when a host crosses the threshold by the server clock, then `up` on its next report', async () => {
  const { t, heard } = await app({ staleThresholdSeconds: 10 });
  await post(t, 'a');
  await post(t, 'b');
  clock += 5_000;
  await post(t, 'b');
  clock += 5_001; // a is past the threshold, b is not
  await t.ctx.monitor.catchUp();
  expect(summary(heard)).toEqual(['report a', 'report b', 'report b', 'down a']);
  expect(heard[3]).toMatchObject({ type: 'down', receivedAt: START, before: { receivedAt: START, up: true } });
  clock += 10_000;
  await t.ctx.monitor.catchUp();
  await t.ctx.monitor.catchUp();
  expect(summary(heard).slice(4)).toEqual(['down b']);
  await post(t, 'a');
  expect(summary(heard).slice(5)).toEqual(['up a']);
  expect(t.ctx.monitor.mark('a')).toMatchObject({ up: true });
});

it('turns a host down on its own timer, with no request to prompt it', async () => {
  clock = Date.now();
  const { t, heard } = await app({ staleThresholdSeconds: 0.2, now: Date.now });
  await post(t, 'quiet');
  const deadline = Date.now() + 5_000;
  while (!heard.some((c) => c.type === 'down') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(summary(heard)).toEqual(['report quiet', 'down quiet']);
});

it('takes a late report as a sign of life: the latest report stays, receivedAt moves', async () => {
  const { t, heard } = await app();
  await post(t, 'a', { timestamp: '2025-12-31T23:59:00Z', uptime_seconds: 200 });
  clock += 60_000;
  await post(t, 'a', { timestamp: '2025-12-31T23:50:00Z', uptime_seconds: 100 });
  expect(summary(heard)).toEqual(['report a', 'report a']);
  const late = heard[1] as Extract<FleetChange, { host: unknown }>;
  expect(late.host.report.uptime_seconds).toBe(200);
  expect(late.host.receivedAt).toBe(START + 60_000);
});

it('keeps telling the other listeners when one throws', async () => {
  const { t, heard } = await app();
  t.ctx.monitor.subscribe(() => {
    throw new Error('listener bug');
  });
  const after: string[] = [];
  t.ctx.monitor.subscribe((c) => after.push(c.alias));
  await post(t, 'a');
  expect(summary(heard)).toEqual(['report a']);
  expect(after).toEqual(['a']);
});
