/**
 * What the store keeps of a report body: the leniently validated and
 * normalized report, serialized by the server, never the text as it arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostReport } from '../../bench/fleet.js';
import { AUTH, sqliteStoreOf, testApp, type TestApp } from '../helpers/test-app.js';
import { legacyAgentReport } from '../helpers/reports.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const post = (payload: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/report',
    headers: { ...AUTH, 'content-type': 'application/json' },
    payload,
  });

/** The hosts row's report column, as SQLite holds it. */
const storedText = (alias: string): string =>
  sqliteStoreOf(t).db.prepare('SELECT report FROM hosts WHERE alias = ?').pluck().get(alias) as string;

describe('report body', () => {
  it('stores a body normalized: defaults filled, load keys renamed, unknown fields gone', async () => {
    const body: Record<string, unknown> = { ...legacyAgentReport('legacy-1'), from_the_future: { nested: [1, 2] } };
    for (const key of ['gpus', 'containers', 'machine_type', 'group', 'os', 'labels']) delete body[key];
    expect((await post(JSON.stringify(body))).statusCode).toBe(200);
    const stored = storedText('legacy-1');
    expect(stored).not.toContain('from_the_future');
    expect(stored).not.toContain('one_min');
    const report = JSON.parse(stored);
    expect(report.cpu.loadavg).toEqual({ '1m': 0.52, '5m': 0.48, '15m': 0.4 });
    expect(report).toMatchObject({
      machine_type: 'host',
      group: 'default',
      os: 'Unknown',
      labels: [],
      gpus: [],
      containers: [],
    });
  });

  it("stores the Fleetwatch agent's report without its whitespace", async () => {
    const body = hostReport(3) as unknown as Record<string, unknown>;
    body.server_alias = 'spaced-1';
    const text = JSON.stringify(body, null, 8);
    expect((await post(text)).statusCode).toBe(200);
    expect(storedText('spaced-1')).toBe(JSON.stringify(JSON.parse(storedText('spaced-1'))));
    expect(storedText('spaced-1').length).toBeLessThan(text.length);
  });

  it('never stores the unvalidated value of a duplicate key', async () => {
    // JSON.parse keeps the last of duplicate keys; the first one was never validated and must not reach the store.
    const body = hostReport(1) as unknown as Record<string, unknown>;
    body.server_alias = 'dup-1';
    const smuggled = '<b>x</b>'.repeat(1000);
    const text = JSON.stringify(body).replace('"hostname":', `"hostname":"${smuggled}","hostname":`);
    expect((await post(text)).statusCode).toBe(200);
    expect(storedText('dup-1')).not.toContain('<b>x</b>');
    expect((await t.store.getHost('dup-1'))!.report.hostname).toBe(body.hostname);
  });

  it('reports every problem of an invalid body', async () => {
    const body = hostReport(2) as unknown as Record<string, any>;
    body.cpu.percent = 'high';
    body.uptime_seconds = -1;
    const res = await post(JSON.stringify(body));
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .detail.map((d: { loc: (string | number)[] }) => d.loc.join('.'))
        .sort(),
    ).toEqual(['body.cpu.percent', 'body.uptime_seconds']);
  });
});
