/**
 * Every agent-supplied string must be well-formed Unicode: a lone UTF-16
 * surrogate (JSON's "\ud800") has no UTF-8 form and once made a host that
 * was counted but could be neither listed nor deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostReport } from '../../../bench/fleet.js';
import { AUTH, testApp, type TestApp } from '../../helpers/test-app.js';
import { legacyAgentReport } from '../../helpers/reports.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const post = (text: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/report',
    headers: { ...AUTH, 'content-type': 'application/json' },
    payload: text,
  });

/** The path of every string in `value`. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function withString(report: unknown, path: (string | number)[], text: string): unknown {
  const copy = structuredClone(report) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = text;
  return copy;
}

const monitoredMatchesStatus = async () => {
  const monitored = (await t.app.inject({ url: '/' })).json().servers_monitored;
  const listed = (await t.app.inject({ url: '/api/status' })).json().results.length;
  expect(monitored).toBe(listed);
  return listed as number;
};

describe('well-formed strings', () => {
  const reports = { 'Fleetwatch agent': hostReport(7), 'original agent': legacyAgentReport('legacy-7') };
  for (const [name, report] of Object.entries(reports)) {
    it(`refuses a lone surrogate in every string field of the ${name}'s report, naming the field`, async () => {
      const paths = stringPaths(report);
      expect(paths.length).toBeGreaterThan(10);
      for (const path of paths) {
        for (const lone of ['\ud800', 'ok\udfff', '\udc00\ud800']) {
          const body = withString(report, path, lone);
          if (path[0] !== 'server_alias')
            (body as { server_alias: string }).server_alias = `surrogate-${path.join('.')}`;
          const res = await post(JSON.stringify(body));
          expect(res.statusCode, `${path.join('.')}: ${res.body}`).toBe(422);
          expect(res.json().detail).toContainEqual(
            expect.objectContaining({ loc: ['body', ...path], type: 'string_unicode' }),
          );
        }
      }
      expect(await monitoredMatchesStatus()).toBe(0);
    });
  }

  it('accepts well-formed astral characters (a surrogate pair) and lists the host it counts', async () => {
    const body = hostReport(8) as unknown as Record<string, unknown>;
    body.server_alias = 'gpu-🚀';
    body.hostname = '\ud83d\ude80';
    expect((await post(JSON.stringify(body))).statusCode).toBe(200);
    expect(await monitoredMatchesStatus()).toBe(1);
  });
});
