/**
 * Property tests for POST /api/report: whatever the body, the answer is a
 * 200 or a 4xx with a `detail`, never a 5xx, and a rejected body stores nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { makeReport } from '../helpers/reports.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const send = (payload: string, contentType = 'application/json') =>
  t.app.inject({ method: 'POST', url: '/api/report', headers: { ...AUTH, 'content-type': contentType }, payload });

async function expectSafeAnswer(payload: string, contentType?: string): Promise<number> {
  const before = await t.store.countHosts();
  const res = await send(payload, contentType);
  expect(res.statusCode, res.body).toBeLessThan(500);
  if (res.statusCode !== 200) {
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.json()).toHaveProperty('detail');
    expect(await t.store.countHosts()).toBe(before);
  }
  return res.statusCode;
}

/** Every path to a leaf or a node of a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string, unknown>)[k], [...prefix, k]))];
}

function setAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = replacement;
  return copy;
}

const base = makeReport('fuzz-base');
const allPaths = paths(base).filter((p) => p.length > 0);
const weird = fc.oneof(
  fc.constantFrom(null, true, '', 'NaN', -1, 1e308, -0, 2 ** 53 + 1, 'x'.repeat(5000), [], {}),
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.array(fc.anything(), { maxLength: 5 }),
  fc.object({ maxDepth: 3 }),
);

describe('POST /api/report under fuzzing', () => {
  it('never answers 5xx for a valid report with one field replaced by anything', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...allPaths), weird, async (path, value) => {
        await expectSafeAnswer(JSON.stringify(setAt(base, path, value)));
      }),
      { numRuns: 400 },
    );
  });

  it('never answers 5xx for arbitrary JSON documents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 6 }), async (text) => {
        await expectSafeAnswer(text);
      }),
      { numRuns: 200 },
    );
  });

  it('never answers 5xx for arbitrary text and content types', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
        ),
        async (text, type) => {
          await expectSafeAnswer(text, type);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects non-finite numbers written as JSON literals', async () => {
    for (const literal of ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999']) {
      const text = JSON.stringify(base).replace('"percent":23.4', `"percent":${literal}`);
      expect(await expectSafeAnswer(text)).toBe(422);
    }
  });

  it('survives deep nesting in known and unknown fields', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    for (const depth of [100, 10_000, 500_000]) {
      await expectSafeAnswer(JSON.stringify(base).replace('"labels":["gpu","nvidia","ml"]', `"labels":${deep(depth)}`));
      await expectSafeAnswer(JSON.stringify(base).replace('{"server_alias"', `{"extra":${deep(depth)},"server_alias"`));
    }
  });

  it('stores exactly what it acknowledged', async () => {
    await fc.assert(
      fc.asyncProperty(
        // '.' and '..' are refused (no URL can carry them); aliases.test.ts covers that.
        fc.string({ minLength: 1, maxLength: 40 }).filter((a) => a !== '.' && a !== '..'),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.nat({ max: 10 ** 9 }),
        async (alias, percent, uptime) => {
          const report = makeReport(alias, { uptime_seconds: uptime, memory: { total_gb: 8, used_gb: 2, percent } });
          expect(await expectSafeAnswer(JSON.stringify(report))).toBe(200);
          const stored = await t.store.getHost(alias);
          expect(stored?.report.memory.percent).toBe(percent);
          expect(stored?.report.uptime_seconds).toBe(uptime);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps serving /api/status after all of it', async () => {
    const res = await t.app.inject('/api/status');
    expect(res.statusCode).toBe(200);
    expect(Array.isArray(res.json().results)).toBe(true);
  });
});
