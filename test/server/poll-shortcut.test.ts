/**
 * The poll shortcut, over a real port: a plain poll of a cached view is
 * answered before Fastify, with exactly what Fastify answers (`inject` goes
 * through Fastify alone, so it is the reference); anything else is Fastify's.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { httpRequest } from '../e2e/http-client.js';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { makeReport } from '../helpers/reports.js';

const PATHS = ['/api/status', '/api/machines', '/api/hosts'];
/** Headers of one response that differ between any two answers. */
const PER_RESPONSE = ['date', 'connection', 'keep-alive'];

let t: TestApp | undefined;
afterEach(async () => { await t?.close(); t = undefined; });

async function listening(options: Parameters<typeof testApp>[0] = {}): Promise<{ t: TestApp; base: string }> {
  t = await testApp(options);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { t, base: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}` };
}

const get = (url: string, method = 'GET', headers: Record<string, string> = {}) => httpRequest(url, method, undefined, headers);

const comparable = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.includes(name)).sort(([a], [b]) => a.localeCompare(b)));

async function report(t: TestApp, alias: string): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: makeReport(alias) });
  expect(res.statusCode).toBe(200);
}

describe('poll shortcut', () => {
  it('answers plain polls itself, with the body and headers Fastify gives', async () => {
    const { t, base } = await listening({ workerId: 3 });
    await report(t, 'gpu01');
    for (const path of PATHS) {
      const before = t.polls.answered;
      const direct = await get(`${base}${path}`);
      expect(t.polls.answered).toBe(before + 1);
      const viaFastify = await t.app.inject({ method: 'GET', url: path });
      expect(direct.status).toBe(200);
      expect(direct.body).toBe(viaFastify.body);
      expect(comparable(direct.headers)).toEqual(comparable(viaFastify.headers));
      expect(direct.headers['x-fleetwatch-worker']).toBe('3');
    }
  });

  it('serves what changed right after a report', async () => {
    const { t, base } = await listening();
    await report(t, 'first');
    expect(JSON.parse((await get(`${base}/api/status`)).body).results.map((r: { server_alias: string }) => r.server_alias)).toEqual(['first']);
    await report(t, 'second');
    expect(JSON.parse((await get(`${base}/api/status`)).body).results.map((r: { server_alias: string }) => r.server_alias)).toEqual(['first', 'second']);
    expect(t.polls.answered).toBe(2);
  });

  it('leaves cross-origin requests, query strings and other methods to Fastify', async () => {
    const { t, base } = await listening({ corsOrigins: ['http://allowed.example'] });
    const cross = await get(`${base}/api/status`, 'GET', { origin: 'http://allowed.example' });
    expect(cross.status).toBe(200);
    expect(cross.headers['access-control-allow-origin']).toBe('http://allowed.example');
    expect((await get(`${base}/api/status?fresh=1`)).status).toBe(200);
    expect((await get(`${base}/api/status`, 'HEAD')).status).toBe(200);
    expect((await get(`${base}/api/status/`)).status).toBe(404);
    expect(t.polls.answered).toBe(0);
  });

  it('keeps the timeouts of the server Fastify would make', async () => {
    const { t } = await listening();
    const plain = Fastify();
    try {
      for (const setting of ['keepAliveTimeout', 'requestTimeout', 'timeout', 'maxRequestsPerSocket'] as const) {
        expect(t.app.server[setting], setting).toBe(plain.server[setting]);
      }
    } finally {
      await plain.close();
    }
  });

  it('stops answering once the app starts to close, leaving the drain to Fastify', async () => {
    const { t } = await listening();
    expect(t.polls.running).toBe(true);
    await t.app.close();
    expect(t.polls.running).toBe(false);
  });
});
