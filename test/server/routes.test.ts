/** One contract test per route and per error, against compat-contract.md. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH, TEST_KEY, testApp, type TestApp } from '../helpers/test-app.js';
import { legacyAgentReport, makeReport } from '../helpers/reports.js';

let t: TestApp;
let clock: number;
beforeEach(async () => {
  clock = Date.parse('2026-01-01T00:00:00Z');
  t = await testApp({ now: () => clock });
});
afterEach(async () => {
  await t.close();
});

const post = (body: unknown, headers: Record<string, string> = AUTH) =>
  t.app.inject({ method: 'POST', url: '/api/report', headers, payload: body as object });
const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('GET /', () => {
  it('answers the health body with the host count and an ISO timestamp', async () => {
    expect((await get('/')).json().servers_monitored).toBe(0);
    await post(makeReport('a'));
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      service: 'Server Monitoring API',
      status: 'online',
      servers_monitored: 1,
      timestamp: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('POST /api/report', () => {
  it('accepts a report and answers ok with the alias and receive time', async () => {
    const res = await post(makeReport('gpu-01'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', server_alias: 'gpu-01', received_at: '2026-01-01T00:00:00.000Z' });
  });

  it('accepts a bare key without the Bearer prefix', async () => {
    expect((await post(makeReport('a'), { authorization: TEST_KEY })).statusCode).toBe(200);
  });

  it.each([
    ['no header', {}],
    ['wrong key', { authorization: 'Bearer wrong-key-wrong-key-wrong' }],
    ['empty bearer', { authorization: 'Bearer ' }],
    ['key with a suffix', { authorization: `Bearer ${TEST_KEY}x` }],
  ])('answers 401 for %s and stores nothing', async (_name, headers) => {
    const res = await post(makeReport('a'), headers as Record<string, string>);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: 'Invalid or missing API key' });
    expect(await t.store.countHosts()).toBe(0);
  });

  it("accepts the original bash agent's quirky payload and keeps its values", async () => {
    const res = await post(legacyAgentReport('legacy'));
    expect(res.statusCode).toBe(200);
    const status = (await get('/api/status')).json().results[0];
    expect(status.cpu.loadavg).toEqual({
      '1m': 0.52,
      '5m': 0.48,
      '15m': 0.4,
      one_min: 0.52,
      five_min: 0.48,
      fifteen_min: 0.4,
    });
    expect(status.users[0]).toEqual({
      name: 'alice',
      tty: 'pts/0',
      host: '(192.168.0.5)',
      started: '2025-11-06 09:30',
    });
    expect(status.gpus[0].temperature_celsius).toBeNull();
    expect(status.memory.used_gb).toBe(0);
    const containers = (await get('/api/docker/legacy/containers')).json();
    expect(containers[0].created).toBe('2025-11-05T08:00:00.000Z'); // sent as '2025-11-05 08:00:00 +0000 UTC'
  });

  it('fills the documented defaults for optional fields', async () => {
    const { gpus, containers, machine_type, group, os, labels, ...minimal } = makeReport('min');
    expect((await post(minimal)).statusCode).toBe(200);
    const entry = (await get('/api/status')).json().results[0];
    expect(entry).toMatchObject({ gpus: [], os: 'Unknown', group: 'default', labels: [], machine_type: 'host' });
    expect((await get('/api/docker/min/containers')).json()).toEqual([]);
  });

  it('answers 422 with one FastAPI-style item per problem', async () => {
    const bad = makeReport('a') as Record<string, any>;
    bad.cpu = { ...bad.cpu, percent: 'lots' };
    delete bad.hostname;
    bad.uptime_seconds = -5;
    const res = await post(bad);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toEqual(
      expect.arrayContaining([
        { loc: ['body', 'hostname'], msg: 'Field required', type: 'missing' },
        { loc: ['body', 'cpu', 'percent'], msg: 'Input should be a valid number', type: 'float_type' },
        {
          loc: ['body', 'uptime_seconds'],
          msg: 'Input should be greater than or equal to 0',
          type: 'greater_than_equal',
        },
      ]),
    );
    expect(res.json().detail).toHaveLength(3);
    expect(await t.store.countHosts()).toBe(0);
  });

  it('names the missing load average under its canonical key', async () => {
    const res = await post(makeReport('a', { cpu: { percent: 1, loadavg: { '1m': 1, '5m': 1 } } }));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toEqual([
      { loc: ['body', 'cpu', 'loadavg', '15m'], msg: 'Field required', type: 'missing' },
    ]);
  });

  it('reports a bad value inside a nullable field by its real cause', async () => {
    const report = makeReport('a');
    report.gpus![0]!.temperature_celsius = 5000;
    const res = await post(report);
    expect(res.json().detail).toEqual([
      {
        loc: ['body', 'gpus', 0, 'temperature_celsius'],
        msg: 'Input should be less than or equal to 1000',
        type: 'less_than_equal',
      },
    ]);
  });

  it('refuses an alias longer than 255 characters', async () => {
    const res = await post(makeReport('x'.repeat(256)));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ loc: ['body', 'server_alias'], type: 'string_too_long' });
  });

  it('refuses a percentage above 100 and stores nothing', async () => {
    const res = await post(makeReport('a', { memory: { total_gb: 1, used_gb: 1, percent: 101 } }));
    expect(res.statusCode).toBe(422);
    expect(await t.store.countHosts()).toBe(0);
  });

  it('answers 422 json_invalid for malformed JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/report',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: '{"server_alias": ',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ loc: ['body'], type: 'json_invalid' });
  });

  it('answers 422 for NaN, which Python accepted and then crashed on', async () => {
    const text = JSON.stringify(makeReport('a')).replace('"percent":23.4', '"percent":NaN');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/report',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: text,
    });
    expect(res.statusCode).toBe(422);
    expect((await get('/api/status')).statusCode).toBe(200);
  });

  it('answers 422 for an empty body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/report',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toEqual([{ loc: ['body'], msg: 'Field required', type: 'missing' }]);
  });

  it('answers 422 when the body is not an object', async () => {
    const res = await post([1, 2]);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ loc: ['body'], type: 'model_attributes_type' });
  });

  it('answers 415 with a detail for a non-JSON content type', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/report',
      headers: { ...AUTH, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().detail).toMatch(/application\/json/);
  });

  it('answers 413 with a detail for a body over the limit', async () => {
    const small = await testApp({ bodyLimit: 4096 });
    try {
      const report = makeReport('big', {
        labels: Array.from({ length: 60 }, (_, i) => `label-${i}-${'x'.repeat(100)}`),
      });
      const res = await small.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: report });
      expect(res.statusCode).toBe(413);
      expect(res.json().detail).toMatch(/larger than the limit of 4096 bytes/);
      expect(await small.store.countHosts()).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('drops unknown fields instead of storing them', async () => {
    await post({ ...makeReport('a'), surprise: { deep: [[[1]]] } });
    const entry = (await t.store.getHost('a'))!;
    expect(JSON.stringify(entry.report)).not.toContain('surprise');
  });
});

describe('GET /api/status', () => {
  it('answers {"results": []} when empty', async () => {
    expect((await get('/api/status')).json()).toEqual({ results: [] });
  });

  it('lists hosts in first-report order with the documented fields', async () => {
    await post(makeReport('b'));
    await post(makeReport('a'));
    await post(makeReport('b'));
    const results = (await get('/api/status')).json().results;
    expect(results.map((r: { server_alias: string }) => r.server_alias)).toEqual(['b', 'a']);
    for (const key of [
      'server_alias',
      'status',
      'hostname',
      'ip',
      'uptime_seconds',
      'cpu',
      'memory',
      'disks',
      'users',
      'gpus',
      'timestamp',
      'os',
    ]) {
      expect(results[0]).toHaveProperty(key);
    }
    expect(results[0].status).toBe('ok');
  });

  it('turns a host down after STALE_THRESHOLD_SECONDS by the server clock, and back up on a report', async () => {
    await post(makeReport('a', { timestamp: '2099-01-01T00:00:00Z' }));
    clock += 300_000;
    expect((await get('/api/status')).json().results[0].status).toBe('ok');
    clock += 1;
    expect((await get('/api/status')).json().results[0].status).toBe('down');
    expect((await get('/api/hosts')).json().hosts[0].status).toBe('offline');
    await post(makeReport('a'));
    expect((await get('/api/status')).json().results[0].status).toBe('ok');
  });

  it('keeps the newer state when a late (spooled) report arrives, but counts the host as alive', async () => {
    await post(makeReport('a', { timestamp: '2025-12-31T23:59:00Z', uptime_seconds: 200 }));
    clock += 400_000;
    await post(makeReport('a', { timestamp: '2025-12-31T23:50:00Z', uptime_seconds: 100 }));
    const entry = (await get('/api/status')).json().results[0];
    expect(entry.uptime_seconds).toBe(200);
    expect(entry.status).toBe('ok');
  });
});

describe('GET /api/machines', () => {
  it('lists each host then its containers in the original shape', async () => {
    await post(legacyAgentReport('gpu-01'));
    expect((await get('/api/machines')).json()).toEqual({
      machines: [
        {
          id: 'gpu-01',
          alias: 'gpu-01',
          type: 'host',
          group: 'lab',
          parent: null,
          ip: '10.0.0.11',
          os: 'Ubuntu 22.04.3 LTS',
          labels: ['gpu', 'nvidia'],
          status: 'online',
        },
        {
          id: 'gpu-01-jupyter',
          alias: 'jupyter',
          type: 'container',
          group: 'lab',
          parent: 'gpu-01',
          ip: '10.0.0.11',
          os: 'jupyter/base-notebook',
          labels: ['container', 'running'],
          status: 'online',
        },
        {
          id: 'gpu-01-old-job',
          alias: 'old-job',
          type: 'container',
          group: 'lab',
          parent: 'gpu-01',
          ip: '10.0.0.11',
          os: 'ubuntu:22.04',
          labels: ['container', 'exited'],
          status: 'offline',
        },
      ],
    });
  });

  it('drops a container that vanished from the latest report', async () => {
    await post(legacyAgentReport('gpu-01'));
    const next = legacyAgentReport('gpu-01');
    next.containers = (next.containers as unknown[]).slice(0, 1);
    await post(next);
    const ids = (await get('/api/machines')).json().machines.map((m: { id: string }) => m.id);
    expect(ids).toEqual(['gpu-01', 'gpu-01-jupyter']);
  });
});

describe('GET /api/hosts', () => {
  it('lists only machines of type host', async () => {
    await post(makeReport('h1'));
    await post(makeReport('vm1', { machine_type: 'vm' }));
    expect((await get('/api/hosts')).json()).toEqual({
      hosts: [{ alias: 'h1', hostname: 'h1', ip: '10.0.0.11', status: 'online' }],
    });
  });
});

describe('GET /api/docker/{host}/containers', () => {
  it('answers a bare list of the containers as sent', async () => {
    const report = makeReport('a');
    await post(report);
    expect((await get('/api/docker/a/containers')).json()).toEqual(report.containers);
  });

  it('answers 404 with the original detail for an unknown host', async () => {
    const res = await get('/api/docker/nope/containers');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: "Host 'nope' not found" });
  });
});

describe('DELETE /api/server/{alias}', () => {
  const del = (alias: string, headers: Record<string, string> = AUTH) =>
    t.app.inject({ method: 'DELETE', url: `/api/server/${encodeURIComponent(alias)}`, headers });

  it('checks the key before anything else', async () => {
    const res = await del('nope', {});
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: 'Invalid or missing API key' });
  });

  it('answers 404 for an unknown server', async () => {
    const res = await del('nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: "Server 'nope' not found" });
  });

  it('removes the host and its containers', async () => {
    await post(legacyAgentReport('gpu-01'));
    await post(makeReport('other'));
    const res = await del('gpu-01');
    expect(res.json()).toEqual({ status: 'ok', message: "Server 'gpu-01' removed" });
    const machines = (await get('/api/machines')).json().machines;
    expect(machines.every((m: { id: string }) => !m.id.startsWith('gpu-01'))).toBe(true);
    expect((await get('/api/status')).json().results).toHaveLength(1);
  });
});

describe('documentation and misc', () => {
  it('serves OpenAPI at /openapi.json covering every route', async () => {
    const doc = (await get('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/',
        '/api/report',
        '/api/status',
        '/api/machines',
        '/api/hosts',
        '/api/docker/{host}/containers',
        '/api/server/{alias}',
      ]),
    );
    expect(doc.paths['/api/report'].post.requestBody.content['application/json'].schema.required).toContain(
      'server_alias',
    );
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await get('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });

  it("answers unknown routes with FastAPI's 404 body", async () => {
    const res = await get('/api/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Not Found' });
  });

  it("answers 405 with FastAPI's body for a known path under another method", async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/status' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(res.json()).toEqual({ detail: 'Method Not Allowed' });
    expect((await t.app.inject({ method: 'GET', url: '/api/server/x' })).statusCode).toBe(405);
  });

  it('allows any origin by default', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/status', headers: { origin: 'https://dash.example' } });
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('restricts CORS to the configured origins', async () => {
    const strict = await testApp({ corsOrigins: ['https://ok.example'] });
    try {
      const ok = await strict.app.inject({
        method: 'GET',
        url: '/api/status',
        headers: { origin: 'https://ok.example' },
      });
      expect(ok.headers['access-control-allow-origin']).toBe('https://ok.example');
      const no = await strict.app.inject({
        method: 'GET',
        url: '/api/status',
        headers: { origin: 'https://evil.example' },
      });
      expect(no.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});

describe('cached dashboard bodies', () => {
  it('re-reads only changed hosts and still reflects every change', async () => {
    await post(makeReport('a', { uptime_seconds: 1 }));
    await post(makeReport('b', { uptime_seconds: 2 }));
    const first = (await get('/api/status')).json().results;
    await post(makeReport('b', { uptime_seconds: 3 }));
    await t.app.inject({ method: 'DELETE', url: '/api/server/a', headers: AUTH });
    await post(makeReport('c', { uptime_seconds: 4 }));
    const second = (await get('/api/status')).json().results;
    expect(first.map((r: { uptime_seconds: number }) => r.uptime_seconds)).toEqual([1, 2]);
    expect(
      second.map((r: { server_alias: string; uptime_seconds: number }) => [r.server_alias, r.uptime_seconds]),
    ).toEqual([
      ['b', 3],
      ['c', 4],
    ]);
    expect((await get('/api/machines')).json().machines.map((m: { id: string }) => m.id)).toEqual([
      'b',
      'b-trainer',
      'c',
      'c-trainer',
    ]);
  });

  it('sees a report committed by another process on the same database', async () => {
    const other = await testApp({ sameDatabaseAs: t, now: () => clock });
    try {
      await post(makeReport('mine'));
      expect((await get('/api/status')).json().results).toHaveLength(1);
      await other.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: makeReport('theirs') });
      expect((await get('/api/status')).json().results.map((r: { server_alias: string }) => r.server_alias)).toEqual([
        'mine',
        'theirs',
      ]);
    } finally {
      await other.app.close();
      await other.store.close();
    }
  });
});
