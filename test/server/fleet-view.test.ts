/**
 * The dashboard's read model: a poll joins entries that were serialized
 * once per host version as reports arrived, not by the poll; the few it
 * lacks it makes from one store read.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { makeReport } from '../helpers/reports.js';

let t: TestApp | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
  t = undefined;
});

const post = (alias: string, uptime: number) =>
  t!.app.inject({
    method: 'POST',
    url: '/api/report',
    headers: AUTH,
    payload: makeReport(alias, { uptime_seconds: uptime }),
  });

/** JSON.stringify calls that made a status entry (they carry container_count), by alias. */
function statusEntriesMade(stringify: { mock: { calls: unknown[][] } }): string[] {
  return stringify.mock.calls
    .map(([value]) => value as { container_count?: number; server_alias?: string } | null)
    .filter((v) => v?.container_count !== undefined)
    .map((v) => v!.server_alias!);
}

it('serializes a status entry once per host version, as the report arrives: a poll only joins them', async () => {
  t = await testApp();
  const stringify = vi.spyOn(JSON, 'stringify');
  for (const alias of ['a', 'b', 'c']) await post(alias, 1);
  expect(statusEntriesMade(stringify)).toEqual(['a', 'b', 'c']);
  const first = await t.app.inject({ method: 'GET', url: '/api/status' });
  await post('b', 2);
  const second = await t.app.inject({ method: 'GET', url: '/api/status' });
  const third = await t.app.inject({ method: 'GET', url: '/api/status' });
  expect(statusEntriesMade(stringify)).toEqual(['a', 'b', 'c', 'b']);

  expect(first.json().results.map((r: { uptime_seconds: number }) => r.uptime_seconds)).toEqual([1, 1, 1]);
  expect(second.json().results.map((r: { uptime_seconds: number }) => r.uptime_seconds)).toEqual([1, 2, 1]);
  expect(third.body).toBe(second.body);
});

it('makes an entry not made on arrival (a host turned down, a view not read lately) from the store, in one read per poll', async () => {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  t = await testApp({ now: () => clock, staleThresholdSeconds: 10 });
  for (const alias of ['a', 'b']) await post(alias, 1);
  const getHosts = vi.spyOn(t.store, 'getHosts');
  expect(
    (await t.app.inject({ method: 'GET', url: '/api/hosts' })).json().hosts.map((h: { status: string }) => h.status),
  ).toEqual(['online', 'online']);
  expect(getHosts.mock.calls).toEqual([[['a', 'b']]]);
  // Read lately: made on arrival from now on.
  await post('b', 2);
  await t.app.inject({ method: 'GET', url: '/api/hosts' });
  expect(getHosts).toHaveBeenCalledTimes(1);
  // Both turn down by the clock (b's second report was stored 1 ms on: same millisecond): their down entries
  // are made from one read.
  clock += 10_002;
  const status = (await t.app.inject({ method: 'GET', url: '/api/status' })).json().results;
  expect(status.map((r: { status: string; uptime_seconds: number }) => [r.status, r.uptime_seconds])).toEqual([
    ['down', 1],
    ['down', 2],
  ]);
  expect(getHosts.mock.calls.at(-1)).toEqual([['a', 'b']]);
});

it('joins the machines and hosts views from the same records, each host entry made once', async () => {
  t = await testApp();
  await post('a', 1);
  await t.app.inject({
    method: 'POST',
    url: '/api/report',
    headers: AUTH,
    payload: makeReport('vm', { machine_type: 'vm' }),
  });
  const machines = (await t.app.inject({ method: 'GET', url: '/api/machines' })).json().machines;
  expect(machines.map((m: { id: string }) => m.id)).toEqual(['a', 'a-trainer', 'vm', 'vm-trainer']);
  const hosts = (await t.app.inject({ method: 'GET', url: '/api/hosts' })).json().hosts;
  expect(hosts.map((h: { alias: string }) => h.alias)).toEqual(['a']);
});
