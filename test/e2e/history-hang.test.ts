/**
 * Issue 13: history queries whose times lie far outside any sensible range
 * once made the bucket loop spin forever (t += bucket stops moving past
 * 2^53), hanging the whole process. Each one, on either route, must now get
 * a quick 4xx naming its parameter, and the server must keep answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReport } from '../helpers/reports.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { httpRequest } from './http-client.js';

const KEY = 'e2e-key-0123456789abcdef';
const HUGE = '10000000000000000000';

/** Query strings that once hung the server (or could), and the parameter the refusal must name. */
const VARIANTS: [query: string, parameter: string][] = [
  [`from=${HUGE}&to=${HUGE}`, 'from'],
  [`from=0&to=${HUGE}`, 'to'],
  [`from=${HUGE}.5&to=${HUGE}.5`, 'from'],
  [`from=9007199254740993&to=9007199254740993`, 'from'],
  ['from=4102444801&to=4102444801', 'from'],
  ['from=9999-12-31T00:00:00Z&to=9999-12-31T00:00:10Z', 'from'],
  ['from=0000-01-01T00:00:00Z', 'from'],
  ['from=--1h', 'from'],
  ['from=-99999999999999999999y', 'from'],
  ['from=-99999999999999999999s&to=-99999999999999999998s', 'from'],
  ['from=-200y', 'from'],
  ['to=-99999999999999999999y', 'to'],
  [`from=0&to=${HUGE}&step=999999999`, 'to'],
  ['from=-1h&step=999999999', 'step'],
  [`from=${HUGE}&to=${HUGE}&step=1`, 'from'],
];

let server: ServerProcess;
let removeDir: () => void;
beforeAll(async () => {
  const dir = tempDir();
  removeDir = dir.remove;
  server = await startServer({ DATA_DIR: dir.path, API_KEY: KEY, LOG_LEVEL: 'warn' });
  const posted = await httpRequest(`${server.url}/api/report`, 'POST', makeReport('gpu-01'), {
    authorization: `Bearer ${KEY}`,
  });
  expect(posted.status).toBe(200);
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  removeDir?.();
});

/** GET with a deadline: a hung server fails the test instead of stalling it. */
async function timedGet(path: string, deadlineMs: number): Promise<{ status: number; detail: unknown; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(deadlineMs) });
  const body = (await res.json()) as { detail?: unknown };
  return { status: res.status, detail: body.detail, ms: performance.now() - started };
}

describe.each([
  ['fleet', '/api/history'],
  ['host', '/api/history/gpu-01'],
])('%s route', (_name, route) => {
  it.each(VARIANTS)('refuses ?%s quickly with a 4xx naming %s, and keeps serving', async (query, parameter) => {
    const answer = await timedGet(`${route}?${query}`, 5000);
    expect(answer.status, JSON.stringify(answer.detail)).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.ms).toBeLessThan(2000);
    expect(JSON.stringify(answer.detail)).toContain(parameter);
    const home = await timedGet('/api/status', 1000);
    expect(home.status).toBe(200);
    const root = await fetch(`${server.url}/`, { signal: AbortSignal.timeout(1000) });
    expect(root.status).toBe(200);
  });
});

it('stops on SIGTERM within seconds after all of them', async () => {
  const started = performance.now();
  expect(await server.stop('SIGTERM')).toBe(0);
  expect(performance.now() - started).toBeLessThan(5000);
});
