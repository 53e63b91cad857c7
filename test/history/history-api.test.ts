/** GET /api/history over real HTTP inject on a real SQLite file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { makeReport } from '../helpers/reports.js';
import type { ReportInput } from '../../src/contract/index.js';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const T0S = T0 / 1000;
let t: TestApp;
let clock: number;
beforeEach(async () => {
  clock = T0;
  t = await testApp({ now: () => clock });
});
afterEach(async () => {
  await t.close();
});

/** Posts a report stamped and received at `ms`. */
async function post(alias: string, ms: number, overrides: Partial<ReportInput> = {}): Promise<void> {
  clock = ms;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/report',
    headers: AUTH,
    payload: makeReport(alias, { timestamp: new Date(ms).toISOString(), ...overrides }),
  });
  expect(res.statusCode).toBe(200);
}
const cpu = (percent: number) => ({ cpu: { percent, loadavg: { '1m': 1, '5m': 1, '15m': 1 } } });
const get = async (url: string, at: number) => {
  clock = at;
  return t.app.inject({ method: 'GET', url });
};
const maintain = async (at: number) => {
  while (await t.store.historyMaintenance(at));
};

describe('GET /api/history/{alias}', () => {
  it('answers raw reports as columns with one timestamps array and nulls for absent series', async () => {
    await post('gpu-01', T0, cpu(10));
    await post('gpu-01', T0 + 10_000, { ...cpu(20), containers: [] });
    const res = await get(
      `/api/history/gpu-01?metrics=cpu,container.cpu,gpu.util:0,disk.pct&from=${T0S - 5}&to=${T0S + 15}`,
      T0 + 15_000,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      alias: 'gpu-01',
      from: T0S - 5,
      to: T0S + 15,
      tier: 'raw',
      step: null,
      timestamps: [T0S, T0S + 10],
      series: { cpu: [10, 20], 'container.cpu:trainer': [14.2, null], 'gpu.util:0': [72, 72], 'disk.pct:/': [50, 50] },
      max: { cpu: [10, 20], 'container.cpu:trainer': [14.2, null], 'gpu.util:0': [72, 72], 'disk.pct:/': [50, 50] },
    });
  });

  it('defaults to cpu and mem over the last hour', async () => {
    await post('a', T0, cpu(10));
    const res = await get('/api/history/a', T0 + 60_000);
    const body = res.json();
    expect([body.from, body.to]).toEqual([T0S + 60 - 3600, T0S + 60]);
    expect(Object.keys(body.series)).toEqual(['cpu', 'mem']);
    expect(body.series.mem).toEqual([31.2]);
  });

  it('buckets with a step: averages and maxima per bucket, null for empty buckets', async () => {
    for (const [i, v] of [10, 30, 50].entries()) await post('a', T0 + i * 10_000, cpu(v));
    await post('a', T0 + 120_000, cpu(90));
    const expected = {
      tier: '1m',
      step: 60,
      timestamps: [T0S, T0S + 60, T0S + 120],
      series: { cpu: [30, null, 90] },
      max: { cpu: [50, null, 90] },
    };
    const url = `/api/history/a?metrics=cpu&from=${T0S}&to=${T0S + 179}&step=60`;
    // Before any rollup the 1-minute answer comes from the raw rows it has not folded yet...
    expect((await get(url, T0 + 180_000)).json()).toMatchObject(expected);
    // ...after the first minute is rolled up, from the bucket plus the raw tail: the same answer.
    await maintain(T0 + 100_000);
    expect(await t.store.readHistory('a', '1m', T0S, T0S + 200)).toHaveLength(1);
    expect((await get(url, T0 + 180_000)).json()).toMatchObject(expected);
  });

  it("breaks the dashboard's 1 h, 6 h and 24 h charts where a host was silent for 8 minutes", async () => {
    for (let i = 0; i < 30; i++) await post('a', T0 + i * 10_000, cpu(10));
    const back = T0 + 290_000 + 8 * 60_000;
    for (let i = 0; i < 30; i++) await post('a', back + i * 10_000, cpu(20));
    const now = back + 300_000;
    for (const range of ['-1h', '-6h', '-1d']) {
      const body = (await get(`/api/history/a?metrics=cpu,gpu.util&from=${range}&to=now`, now)).json();
      expect({ range, tier: body.tier, step: body.step }).toEqual({ range, tier: 'raw', step: null });
      expect(body.timestamps).toHaveLength(61);
      expect(body.timestamps.slice(29, 32)).toEqual([T0S + 290, T0S + 300, back / 1000]);
      expect(body.series.cpu.slice(28, 32)).toEqual([10, 10, null, 20]);
      expect(body.series['gpu.util:0'].slice(28, 32)).toEqual([72, 72, null, 72]);
      expect(body.series.cpu.filter((v: number | null) => v === null)).toHaveLength(1);
    }
  });

  it('reads relative and ISO times', async () => {
    await post('a', T0, cpu(10));
    const iso = new Date(T0 - 60_000).toISOString();
    const res = await get(`/api/history/a?from=${encodeURIComponent(iso)}&to=now`, T0 + 60_000);
    expect([res.json().from, res.json().to]).toEqual([T0S - 60, T0S + 60]);
    expect((await get('/api/history/a?from=-30m', T0)).json().from).toBe(T0S - 1800);
  });

  it('chooses the tier by range and step, and answers at most 1000 points', async () => {
    await post('a', T0, cpu(10));
    const now = T0 + 10 * 86_400_000;
    await maintain(now);
    const plan = async (query: string) => {
      const body = (await get(`/api/history/a?metrics=cpu&${query}`, now)).json();
      expect(body.timestamps.length).toBeLessThanOrEqual(1000);
      return [body.tier, body.step];
    };
    expect(await plan('from=-1h')).toEqual(['raw', null]);
    expect(await plan('from=-24h')).toEqual(['raw', null]);
    expect(await plan('from=-24h&step=300')).toEqual(['1m', 300]);
    expect(await plan('from=-7d')).toEqual(['1m', 660]);
    expect(await plan('from=-30d')).toEqual(['15m', 2700]);
    expect(await plan('from=-30d&step=3600')).toEqual(['1h', 3600]);
    expect(await plan('from=-400d')).toEqual(['1h', 36000]);
  });

  it('answers a range across tier boundaries from the coarser tier without losing the older data', async () => {
    // Reports ten and two days ago: a 14-day query must come from a tier that still holds both.
    await post('a', T0, cpu(10));
    await post('a', T0 + 8 * 86_400_000, cpu(30));
    const now = T0 + 10 * 86_400_000;
    await maintain(now);
    const body = (await get(`/api/history/a?metrics=cpu&from=-14d&step=3600`, now)).json();
    expect(body.tier).toBe('1h');
    const values = body.series.cpu.filter((v: number | null) => v !== null);
    expect(values).toEqual([10, 30]);
    expect(body.timestamps[body.series.cpu.indexOf(10)]).toBe(T0S);
    // The 7-day query only sees the newer report, from the 1-minute tier.
    const week = (await get('/api/history/a?metrics=cpu&from=-7d', now)).json();
    expect(week.tier).toBe('1m');
    expect(week.series.cpu.filter((v: number | null) => v !== null)).toEqual([30]);
  });

  it('expands a metric over its instances: every GPU and container', async () => {
    const gpu = makeReport('x').gpus![0]!;
    await post('a', T0, { gpus: [gpu, { ...gpu, index: 1, utilization_pct: 5 }] });
    const body = (await get(`/api/history/a?metrics=gpu.util,container.mem&from=${T0S}&to=${T0S}`, T0)).json();
    expect(body.series).toEqual({ 'gpu.util:0': [72], 'gpu.util:1': [5], 'container.mem:trainer': [2048] });
  });

  it('404s an unknown host and 422s a bad query', async () => {
    expect((await get('/api/history/nope', T0)).json()).toEqual({ detail: "Host 'nope' not found" });
    await post('a', T0);
    for (const query of ['metrics=bogus', 'from=yesterday', `from=${T0S}&to=${T0S - 10}`, 'step=0', 'metrics=cpu:0']) {
      const res = await get(`/api/history/a?${query}`, T0);
      expect(res.statusCode, query).toBe(422);
      expect(typeof res.json().detail).toBe('string');
    }
  });

  it('deleting a server deletes its history', async () => {
    await post('a', T0);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/server/a', headers: AUTH })).statusCode).toBe(200);
    expect(await t.store.readHistory('a', 'raw', 0, T0S + 1)).toBeUndefined();
    await post('a', T0 + 1000, cpu(55));
    expect(
      (await get(`/api/history/a?metrics=cpu&from=${T0S - 60}&to=${T0S + 60}`, T0 + 1000)).json().series.cpu,
    ).toEqual([55]);
  });
});

describe('GET /api/history (fleet)', () => {
  it('averages host series and all GPUs over the hosts of a group or label', async () => {
    const gpu = makeReport('x').gpus![0]!;
    await post('a', T0, {
      ...cpu(10),
      group: 'lab',
      labels: ['ml'],
      gpus: [
        { ...gpu, utilization_pct: 20 },
        { ...gpu, index: 1, utilization_pct: 40 },
      ],
    });
    await post('b', T0 + 5000, { ...cpu(30), group: 'lab', labels: [], gpus: [{ ...gpu, utilization_pct: 90 }] });
    await post('c', T0 + 5000, { ...cpu(99), group: 'web', labels: ['ml'], gpus: [] });
    const q = `metrics=cpu,gpu.util&from=${T0S}&to=${T0S + 59}`;
    const lab = (await get(`/api/history?group=lab&${q}`, T0 + 60_000)).json();
    expect(lab).toMatchObject({ alias: null, hosts: 2, tier: 'raw', step: 60, timestamps: [T0S] });
    expect(lab.series).toEqual({ cpu: [20], 'gpu.util': [50] }); // (10+30)/2 hosts; (20+40+90)/3 GPUs
    expect(lab.max).toEqual({ cpu: [30], 'gpu.util': [90] });
    const ml = (await get(`/api/history?label=ml&${q}`, T0 + 60_000)).json();
    expect(ml.hosts).toBe(2);
    expect(ml.series.cpu).toEqual([54.5]);
    const all = (await get(`/api/history?${q}`, T0 + 60_000)).json();
    expect(all.hosts).toBe(3);
    expect(all.series.cpu[0]).toBeCloseTo((10 + 30 + 99) / 3, 4);
  });

  it('refuses per-instance selectors in the fleet aggregate', async () => {
    expect((await get('/api/history?metrics=gpu.util:0', T0)).statusCode).toBe(422);
  });
});

describe('OpenAPI', () => {
  it('documents both history routes with their parameters', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const host = doc.paths['/api/history/{alias}'].get;
    expect(host.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['alias', 'metrics', 'from', 'to', 'step']),
    );
    expect(Object.keys(host.responses)).toEqual(expect.arrayContaining(['200', '404', '422']));
    const fleet = doc.paths['/api/history'].get;
    expect(fleet.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['group', 'label']));
  });
});
