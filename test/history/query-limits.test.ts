/** Limits on history queries (issue 13): answer size, queue, time; over inject on a real SQLite file, queries on real threads. */
import { afterEach, describe, expect, it } from 'vitest';
import { makeReport } from '../helpers/reports.js';
import { AUTH, sqliteStoreOf, testApp, type TestApp } from '../helpers/test-app.js';
import { HistoryBusyError, QueryGate } from '../../src/store/history-queries.js';
import type { HistoryQueryLimits } from '../../src/store/history-queries.js';
import { HEAVIEST_QUERY } from '../../bench/history-heavy.js';
import { fill } from '../../bench/history.js';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const T0S = T0 / 1000;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function appWith(limits: Partial<HistoryQueryLimits>): Promise<TestApp> {
  t = await testApp({ now: () => T0, storeOptions: { historyQueries: limits } });
  return t;
}
async function post(app: TestApp, alias: string, ms: number): Promise<void> {
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/report',
    headers: AUTH,
    payload: makeReport(alias, { timestamp: new Date(ms).toISOString() }),
  });
  expect(res.statusCode).toBe(200);
}
const get = (app: TestApp, url: string) => app.app.inject({ method: 'GET', url });

describe('answer size', () => {
  it('refuses an answer of more series × points than the limit with a 422 naming it, and answers a smaller one', async () => {
    const app = await appWith({ maxCells: 2000 });
    await post(app, 'a', T0);
    // 50,000 s at a 60 s step, on buckets aligned to the minute: 835 points.
    const range = `from=${T0S - 50_000}&to=${T0S}&step=60`;
    const over = await get(app, `/api/history/a?metrics=cpu,mem,load1&${range}`);
    expect(over.statusCode).toBe(422);
    expect(over.json()).toEqual({
      detail:
        'The answer would hold 3 series × 835 points = 2505 values; at most 2000 are allowed (HISTORY_MAX_CELLS). Ask for fewer metrics or a larger step',
    });
    const under = await get(app, `/api/history/a?metrics=cpu,mem&${range}`);
    expect(under.statusCode).toBe(200);
    expect(under.json().timestamps).toHaveLength(835);
    expect((await get(app, `/api/history?metrics=cpu,mem,load1&${range}`)).statusCode).toBe(422);
  });
});

describe('queue', () => {
  it('answers one query at a time, queues one more and refuses the next with a 503 and Retry-After', async () => {
    const app = await appWith({ concurrency: 1, queue: 1 });
    await post(app, 'a', T0);
    // The first query also starts the thread (a few hundred ms), so all three are in at once.
    const answers = await Promise.all([0, 1, 2].map(() => get(app, `/api/history/a?from=${T0S - 3600}&to=${T0S}`)));
    const refused = answers.filter((r) => r.statusCode === 503);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 503]);
    expect(refused[0]!.headers['retry-after']).toBe('1');
    expect(refused[0]!.json()).toEqual({ detail: 'Too many history queries: 1 running and 1 waiting; retry shortly' });
    // Once they are done, the next one is answered.
    expect((await get(app, `/api/history/a?from=${T0S - 3600}&to=${T0S}`)).statusCode).toBe(200);
  });

  it('passes slots on in arrival order and refuses beyond the queue', async () => {
    const gate = new QueryGate({ concurrency: 2, queue: 1 });
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        order.push(n);
        releases.push(() => resolve(n));
      });
    const runs = [1, 2, 3].map((n) => gate.run(task(n)));
    await expect(gate.run(task(4))).rejects.toThrow(HistoryBusyError);
    expect(order).toEqual([1, 2]);
    expect(gate.load()).toEqual({ running: 2, waiting: 1 });
    releases[0]!();
    await runs[0];
    await Promise.resolve();
    expect(order).toEqual([1, 2, 3]);
    releases[1]!();
    releases[2]!();
    expect(await Promise.all(runs)).toEqual([1, 2, 3]);
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });
});

describe('time limit', () => {
  it('stops a query that runs too long with a 503, and the server keeps answering', async () => {
    const app = await appWith({ timeoutMs: 1 });
    // A day of an 8-GPU host: reading and folding it takes tens of milliseconds at least.
    await fill(sqliteStoreOf(app), 2, T0S);
    const slow = await get(app, HEAVIEST_QUERY);
    expect(slow.statusCode).toBe(503);
    expect(slow.json()).toEqual({
      detail:
        'The history query took longer than 0.001 s and was stopped; ask for a shorter range, a larger step or fewer hosts',
    });
    expect(slow.headers['retry-after']).toBeUndefined();
    // The refusal did not end the server: other routes answer.
    expect((await get(app, '/api/status')).statusCode).toBe(200);
  });
});

describe('stopping', () => {
  // A fleet aggregate over a day of 100 hosts: reading them takes about a second here.
  const FLEET_DAY = '/api/history?metrics=cpu,gpu.util&from=-24h';

  it('stops the query of a client that leaves, so that its slot serves the next one', async () => {
    const app = await appWith({ concurrency: 1, queue: 0 });
    await fill(sqliteStoreOf(app), 100, T0S);
    const url = await app.app.listen({ host: '127.0.0.1', port: 0 });
    const leaving = new AbortController();
    const left = fetch(`${url}${FLEET_DAY}`, { signal: leaving.signal }).catch((error: Error) => error.name);
    await new Promise((r) => setTimeout(r, 300));
    leaving.abort();
    expect(await left).toBe('AbortError');
    await new Promise((r) => setTimeout(r, 200));
    // Had the first query kept running, this one would find the only slot taken and no queue: a 503.
    const next = await fetch(`${url}${FLEET_DAY}`);
    expect(next.status).toBe(200);
    expect(((await next.json()) as { hosts: number }).hosts).toBe(100);
  });

  it('answers a query in flight with a 503 when the server closes, instead of holding up the shutdown', async () => {
    const app = await appWith({});
    await fill(sqliteStoreOf(app), 100, T0S);
    const pending = get(app, FLEET_DAY);
    await new Promise((r) => setTimeout(r, 300));
    const closing = performance.now();
    await app.app.close();
    const res = await pending;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ detail: 'Server is shutting down; retry shortly' });
    expect(performance.now() - closing).toBeLessThan(500);
  });
});
