/**
 * The API key is declared once, on the scope of the write routes: each of
 * them answers 401 without it (before its body is read), the read routes do
 * not ask for it, and OpenAPI says which is which.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { makeReport } from '../helpers/reports.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const WRITES = [
  { method: 'POST' as const, url: '/api/report', payload: makeReport('a') },
  { method: 'DELETE' as const, url: '/api/server/a' },
];

it('answers 401 with a detail on every write route without the key, and serves them with it', async () => {
  for (const route of WRITES) {
    const refused = await t.app.inject(route);
    expect(refused.statusCode, route.url).toBe(401);
    expect(refused.json()).toEqual({ detail: 'Invalid or missing API key' });
  }
  for (const route of WRITES) expect((await t.app.inject({ ...route, headers: AUTH })).statusCode, route.url).toBe(200);
});

it('leaves the read routes open', async () => {
  for (const url of ['/', '/api/status', '/api/machines', '/api/hosts', '/api/history']) {
    expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
  }
});

it('marks exactly the write routes and the key check as needing the key in OpenAPI, with their 401', async () => {
  const paths = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths as Record<
    string,
    Record<string, { security?: unknown; responses: Record<string, unknown> }>
  >;
  const secured = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op.security !== undefined)
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  );
  expect(secured.sort()).toEqual(['DELETE /api/server/{alias}', 'GET /api/auth/check', 'POST /api/report']);
  expect(paths['/api/report']!.post!.responses['401']).toBeDefined();
  expect(paths['/api/report']!.post!.responses['422']).toBeDefined();
});
