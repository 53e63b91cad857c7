/**
 * /api/events is an answer like any other: it leaves through Fastify's
 * hooks, so it carries the headers they set (CORS, nosniff, and the worker
 * id that an onSend hook adds), over a real socket.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

it('carries the headers that hooks set: CORS, nosniff and the worker id', async () => {
  t = await testApp({ workerId: 3, corsOrigins: ['http://dash.example'] });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  const { headers, first } = await new Promise<{ headers: Record<string, unknown>; first: string }>(
    (resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/api/events', agent: false, headers: { origin: 'http://dash.example' } },
        (res) => {
          res.setEncoding('utf8');
          res.once('data', (chunk: string) => {
            resolve({ headers: res.headers, first: chunk });
            req.destroy();
          });
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
  expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(headers['cache-control']).toBe('no-cache, no-transform');
  expect(headers['x-fleetwatch-worker']).toBe('3');
  expect(headers['access-control-allow-origin']).toBe('http://dash.example');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(first).toContain(': connected');
});
