/**
 * What a report's 200 says it ignored (unknown fields, a timestamp that is
 * not a date), and an OpenAPI document that says unknown fields are accepted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { legacyAgentReport, makeReport } from '../helpers/reports.js';

const NOW = Date.parse('2026-01-05T12:00:00Z');
const NOW_ISO = new Date(NOW).toISOString();
let t: TestApp;
beforeEach(async () => {
  t = await testApp({ now: () => NOW });
});
afterEach(async () => {
  await t.close();
});

const post = (body: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: body as object });
const status = async (alias: string) =>
  (await t.app.inject({ method: 'GET', url: '/api/status' }))
    .json()
    .results.find((e: { server_alias: string }) => e.server_alias === alias);

/** Every object schema in `schema` that forbids fields it does not declare. */
function closedObjects(schema: unknown, path = '$'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const here = (schema as Record<string, unknown>).additionalProperties === false ? [path] : [];
  return here.concat(Object.entries(schema).flatMap(([key, value]) => closedObjects(value, `${path}.${key}`)));
}

describe('the 200 answer to a report', () => {
  it('is the original body when nothing was ignored', async () => {
    const res = await post(makeReport('clean'));
    expect(res.json()).toEqual({ status: 'ok', server_alias: 'clean', received_at: NOW_ISO });
  });

  it('names each unknown field by its path, at the top and nested, and stores none of them', async () => {
    const body = JSON.parse(JSON.stringify(legacyAgentReport('typo')));
    body.grop = 'lab';
    body.cpu.loadavg['1min'] = 0.5;
    body.gpus[1].utilisation = 3;
    body.gpus[0].processes[1].gpu_uuid = 'GPU-1';
    body.users[0].from = 'ssh';
    const res = await post(body);
    expect(res.statusCode).toBe(200);
    expect(res.json().ignored).toEqual([
      'cpu.loadavg.1min',
      'users[0].from',
      'gpus[0].processes[1].gpu_uuid',
      'gpus[1].utilisation',
      'grop',
    ]);
    const stored = JSON.stringify((await t.store.getHost('typo'))!.report);
    for (const name of ['grop', '1min', 'utilisation', 'gpu_uuid', '"from"']) expect(stored).not.toContain(name);
    expect((await status('typo')).gpus[0].processes[1].username).toBe('bob');
  });

  it('stays bounded: at most 20 paths of at most 200 characters, then how many more', async () => {
    const body: Record<string, unknown> = makeReport('many');
    for (let i = 0; i < 100; i++) body[`extra_${i}`] = i;
    body[`long_${'x'.repeat(5000)}`] = 1;
    const ignored: string[] = (await post(body)).json().ignored;
    expect(ignored).toHaveLength(21);
    expect(ignored.slice(0, 2)).toEqual(['extra_0', 'extra_1']);
    expect(ignored[20]).toBe('… and 81 more unknown fields');
    const long = { ...makeReport('long'), [`long_${'x'.repeat(5000)}`]: 1 };
    const [entry] = (await post(long)).json().ignored;
    expect(entry).toHaveLength(200);
    expect(entry).toBe(`long_${'x'.repeat(194)}…`);
  });
});

describe('a timestamp that is not a date', () => {
  it.each(['yesterday', '1', 'Thu Nov 6 2025', '2025-02-30 10:00:00', ''])(
    '%j is stored as the receive time, with a note in ignored',
    async (timestamp) => {
      const res = await post({ ...makeReport('odd'), timestamp, grop: 'x' });
      expect(res.statusCode).toBe(200);
      expect(res.json().ignored).toEqual([
        'timestamp: not a date (ISO 8601 or "YYYY-MM-DD HH:MM:SS"); the receive time was stored',
        'grop',
      ]);
      expect((await status('odd')).timestamp).toBe(NOW_ISO);
      expect((await t.store.getHost('odd'))!.reportTime).toBe(NOW);
    },
  );

  it.each([
    ['2026-01-05T11:59:30Z', '2026-01-05T11:59:30.000Z'],
    ['2026-01-05T11:59:30.123456', '2026-01-05T11:59:30.123Z'],
    ['2026-01-05 11:59:30', '2026-01-05T11:59:30.000Z'],
    ['2026-01-05T13:59:30+02:00', '2026-01-05T11:59:30.000Z'],
  ])('%s, a form agents send, is kept as sent and placed at its time', async (timestamp, iso) => {
    const res = await post({ ...makeReport('dated'), timestamp });
    expect(res.json()).toEqual({ status: 'ok', server_alias: 'dated', received_at: NOW_ISO });
    expect((await status('dated')).timestamp).toBe(timestamp);
    expect((await t.store.getHost('dated'))!.reportTime).toBe(Date.parse(iso));
  });
});

describe('the OpenAPI document', () => {
  it.each(['/docs/json', '/openapi.json'])(
    '%s says the report accepts unknown fields, and declares ignored',
    async (url) => {
      const doc = (await t.app.inject({ method: 'GET', url })).json();
      const post = doc.paths['/api/report'].post;
      const body = post.requestBody.content['application/json'].schema;
      expect(closedObjects(body)).toEqual([]);
      expect(body.description).toContain('Unknown fields');
      expect(post.responses['200'].content['application/json'].schema.properties.ignored).toMatchObject({
        type: 'array',
        maxItems: 22,
      });
    },
  );
});
