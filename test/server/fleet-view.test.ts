/**
 * The dashboard's read model: a poll joins entries that were serialized
 * once per host version, and while the dashboard polls they are made as
 * reports arrive, not by the poll.
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
  t!.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: makeReport(alias, { uptime_seconds: uptime }) });

/** JSON.stringify calls that made a status entry (they carry container_count), by alias. */
function statusEntriesMade(stringify: { mock: { calls: unknown[][] } }): string[] {
  return stringify.mock.calls
    .map(([value]) => value as { container_count?: number; server_alias?: string } | null)
    .filter((v) => v?.container_count !== undefined)
    .map((v) => v!.server_alias!);
}

it('serializes a host once per version: a poll joins the entries, and reports arriving while it is polled are serialized on arrival', async () => {
  t = await testApp();
  for (const alias of ['a', 'b', 'c']) await post(alias, 1);
  const stringify = vi.spyOn(JSON, 'stringify');
  const first = await t.app.inject({ method: 'GET', url: '/api/status' });
  expect(statusEntriesMade(stringify).sort()).toEqual(['a', 'b', 'c']);

  stringify.mockClear();
  await post('b', 2);
  // Made as the report arrived (the view is being read), before any poll asks for it.
  expect(statusEntriesMade(stringify)).toEqual(['b']);
  const second = await t.app.inject({ method: 'GET', url: '/api/status' });
  const third = await t.app.inject({ method: 'GET', url: '/api/status' });
  expect(statusEntriesMade(stringify)).toEqual(['b']);

  expect(first.json().results.map((r: { uptime_seconds: number }) => r.uptime_seconds)).toEqual([1, 1, 1]);
  expect(second.json().results.map((r: { uptime_seconds: number }) => r.uptime_seconds)).toEqual([1, 2, 1]);
  expect(third.body).toBe(second.body);
});

it('joins the machines and hosts views from the same records, each host entry made once', async () => {
  t = await testApp();
  await post('a', 1);
  await t.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: makeReport('vm', { machine_type: 'vm' }) });
  const machines = (await t.app.inject({ method: 'GET', url: '/api/machines' })).json().machines;
  expect(machines.map((m: { id: string }) => m.id)).toEqual(['a', 'a-trainer', 'vm', 'vm-trainer']);
  const hosts = (await t.app.inject({ method: 'GET', url: '/api/hosts' })).json().hosts;
  expect(hosts.map((h: { alias: string }) => h.alias)).toEqual(['a']);
});
