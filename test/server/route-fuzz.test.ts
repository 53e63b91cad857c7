/**
 * A fuzz pass over every route's path parameters and query strings (the
 * report body has its own, report-fuzz.test.ts), against a real server
 * process: no 5xx, every answer within a bound (a hang shows as a timeout,
 * and the server must still answer GET / afterwards), every error in
 * {detail} form, and nothing stored changes because of a failed request.
 */
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { makeReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/temp-dir.js';

const KEY = 'route-fuzz-key-0123456789abcdef';
/** Far above any honest answer here (a few ms), far below a hang. */
const ANSWER_WITHIN_MS = 5_000;

let server: ServerProcess;
const dir = tempDir('fleetwatch-route-fuzz-');

interface Answer {
  status: number;
  body: string;
  contentType: string;
}

/** One request with a raw path (sent as it is, unlike fetch, which normalizes it); rejects after ANSWER_WITHIN_MS. */
function send(method: string, path: string, headers: Record<string, string> = {}, stream = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers, agent: false, timeout: ANSWER_WITHIN_MS },
      (res) => {
        const contentType = String(res.headers['content-type'] ?? '');
        if (stream && res.statusCode === 200) {
          // An event stream never ends by itself: its headers are the answer.
          req.destroy();
          resolve({ status: 200, body: '', contentType });
          return;
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, contentType }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ANSWER_WITHIN_MS} ms: ${method} ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Pieces that tend to break parsers: percent signs, dots, huge numbers, odd units, separators. */
const nasty = fc.constantFrom(
  '%',
  '%zz',
  '%00',
  '%2F',
  '%2E%2E',
  '..',
  '.',
  '/',
  '?',
  '&',
  '=',
  '#',
  ';',
  '+',
  '-',
  '--',
  'now',
  'now-1h',
  '1e400',
  '-1e400',
  'NaN',
  'Infinity',
  '10000000000000000000',
  '9007199254740993',
  '-9007199254740993',
  '0',
  '-0',
  '1.5',
  '-1h',
  '-99999999999d',
  '--1h',
  '-1y',
  '-0s',
  '-1.5h',
  '2026-01-01',
  '+275760-09-13T00:00:00Z',
  '0000-01-01',
  '9999-12-31T23:59:59Z',
  'cpu',
  'gpu.util',
  'gpu.util:0',
  'disk.pct:/',
  'container.cpu:x',
  'load1',
  'mem',
  ',',
  ',,,',
  '*',
  'gpu.util:99999999999',
  '\u00e9',
  '\u00ff',
  'A'.repeat(300),
  'a,'.repeat(200),
);
/** Percent-encodes what Node refuses to put in a request line; keeps the rest raw. */
const rawish = (text: string) => text.replace(/[^\u0021-\u007e]/gu, (c) => encodeURIComponent(c).replace(/%25/g, '%'));
const piece = fc.oneof(
  nasty,
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.integer().map(String),
  fc.double().map(String),
);
const value = fc.array(piece, { minLength: 0, maxLength: 4 }).map((parts) => rawish(parts.join('')));
const key = fc.oneof(
  fc.constantFrom('metrics', 'from', 'to', 'step', 'group', 'label', '__proto__', 'constructor'),
  fc.string({ maxLength: 8 }).map(rawish),
);
const query = fc
  .array(fc.tuple(key, value), { maxLength: 6 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));
const alias = fc.oneof(
  value.filter((v) => v !== '' && !v.includes('/') && !v.includes('?') && !v.includes('#')),
  fc.constantFrom('fuzz-a', 'fuzz-b'),
);

/** Time values of every form the history API reads, sane and not: unix seconds of any size, ISO, relative. */
const time = fc.oneof(
  nasty,
  { arbitrary: fc.bigInt({ min: 0n, max: 10n ** 22n }).map(String), weight: 3 },
  fc.bigInt({ min: -(10n ** 22n), max: 0n }).map(String),
  fc.integer({ min: 0, max: 4_102_444_800 }).map(String),
  fc
    .tuple(
      fc.constantFrom('-', '--', '-+', ''),
      fc.double({ noNaN: false }),
      fc.constantFrom('s', 'm', 'h', 'd', 'w', 'y', '', 'ms'),
    )
    .map(([sign, n, unit]) => rawish(`${sign}${n}${unit}`)),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid' : d.toISOString())),
);
/** Absent more often than not, so that the other parameters get past validation. */
const mostlyAbsent = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, arb);
const selectors = fc.oneof(
  fc.constantFrom('cpu', 'cpu,mem,load1', 'gpu.util,gpu.mem', 'gpu.util:0', 'disk.pct:/', 'container.cpu:trainer'),
  value,
);
/** Independent ends, or two close together: a short range far out is what once hung the server. */
const ends = fc.oneof(
  fc.record({ from: time, to: time }),
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 22n }), fc.bigInt({ min: 0n, max: 100_000n }))
    .map(([from, span]) => ({ from: String(from), to: String(from + span) })),
);
const historyQuery = fc
  .tuple(ends, fc.record({ step: mostlyAbsent(time), metrics: mostlyAbsent(selectors) }))
  .map(([range, rest]) => ({ ...range, ...rest }))
  .map(
    (q) =>
      `?${Object.entries(q)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => `${k}=${v}`)
        .join('&')}`,
  );

const routes = fc.oneof(
  fc.tuple(historyQuery).map(([q]) => ({ method: 'GET', path: `/api/history${q}` })),
  fc
    .tuple(fc.constantFrom('fuzz-a', 'fuzz-b'), historyQuery)
    .map(([a, q]) => ({ method: 'GET', path: `/api/history/${a}${q}` })),
  fc.tuple(query).map(([q]) => ({ method: 'GET', path: `/api/history${q}` })),
  fc.tuple(alias, query).map(([a, q]) => ({ method: 'GET', path: `/api/history/${a}${q}` })),
  fc.tuple(alias, query).map(([a, q]) => ({ method: 'GET', path: `/api/docker/${a}/containers${q}` })),
  fc.tuple(query).map(([q]) => ({ method: 'GET', path: `/api/events${q}`, stream: true })),
  fc
    .tuple(fc.constantFrom('/', '/api/status', '/api/machines', '/api/hosts', '/openapi.json'), query)
    .map(([p, q]) => ({ method: 'GET', path: `${p}${q}` })),
  fc.tuple(alias, query, fc.constantFrom(undefined, 'Bearer wrong', `Bearer ${KEY}x`, '')).map(([a, q, auth]) => ({
    method: 'DELETE',
    path: `/api/server/${a}${q}`,
    headers: auth === undefined ? {} : ({ authorization: auth } as Record<string, string>),
  })),
);

/** What the server stores, as a client sees it (times that move on their own left out). */
async function storedState(): Promise<unknown> {
  const status = JSON.parse((await send('GET', '/api/status')).body) as { results: Record<string, unknown>[] };
  const hosts = await Promise.all(
    ['fuzz-a', 'fuzz-b'].map(async (a) => (await send('GET', `/api/docker/${a}/containers`)).body),
  );
  return { hosts: status.results.map((r) => [r.server_alias, r.received_at]).sort(), containers: hosts };
}

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dir.path, API_KEY: KEY, LOG_LEVEL: 'warn' });
  for (const a of ['fuzz-a', 'fuzz-b']) {
    const res = await fetch(`${server.url}/api/report`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(makeReport(a)),
    });
    expect(res.status).toBe(200);
  }
});

afterAll(async () => {
  // A server that hung ignores SIGTERM; the test must still end.
  const killLater = setTimeout(() => server?.child.kill('SIGKILL'), 5_000);
  await server?.stop();
  clearTimeout(killLater);
  dir.remove();
});

describe('route fuzz', () => {
  it('answers every query and parameter without a 5xx, within the bound, and changes nothing it refuses', async () => {
    const before = await storedState();
    await fc.assert(
      fc.asyncProperty(routes, async (route) => {
        const answer = await send(route.method, route.path, 'headers' in route ? route.headers : {}, 'stream' in route);
        expect(answer.status, `${route.method} ${route.path}: ${answer.body.slice(0, 300)}`).toBeLessThan(500);
        if (answer.status >= 400) {
          expect(answer.contentType, route.path).toMatch(/^application\/json/);
          expect(JSON.parse(answer.body), route.path).toHaveProperty('detail');
        }
      }),
      { numRuns: 1500, interruptAfterTimeLimit: 45_000 },
    );
    const started = Date.now();
    expect((await send('GET', '/')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await storedState()).toEqual(before);
    expect(server.child.exitCode).toBeNull();
  });
});
