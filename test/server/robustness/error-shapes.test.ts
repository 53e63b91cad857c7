/**
 * Every error leaves in the `{detail}` form the original clients parse,
 * whoever raised it: Node's HTTP parser, Fastify's router, a plugin, or a
 * full disk.
 */
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientErrorHandler } from '../../../src/server/error-handler.js';
import { AUTH, sqliteStoreOf, testApp, type TestApp } from '../../helpers/test-app.js';
import { makeReport } from '../../helpers/reports.js';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await testApp();
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await t.close();
});

/** Sends raw bytes over a real socket and returns everything the server wrote before closing. */
function rawRequest(text: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as unknown;
const statusOf = (answer: string) => Number(answer.split(' ')[1]);

describe('error shapes', () => {
  it('431 for oversized headers', async () => {
    const answer = await rawRequest(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(statusOf(answer)).toBe(431);
    expect(bodyOf(answer)).toEqual({ detail: 'The request headers are too large' });
  });

  it('400 for malformed HTTP', async () => {
    const answer = await rawRequest('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    expect(statusOf(answer)).toBe(400);
    expect(bodyOf(answer)).toEqual({ detail: 'Malformed HTTP request' });
  });

  it('408 for a request that took too long (Node raises it; the handler answers on the real socket)', async () => {
    // Node checks request timeouts every 30 s, so the error is handed to the handler directly, over a real socket pair.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    let answer = '';
    client.on('data', (chunk) => {
      answer += chunk.toString();
    });
    const ended = new Promise((resolve) => client.on('end', resolve));
    clientErrorHandler.call(
      t.app as never,
      Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
      await accepted,
    );
    await ended;
    server.close();
    expect(statusOf(answer)).toBe(408);
    expect(bodyOf(answer)).toEqual({ detail: 'The request took too long to arrive' });
  });

  it('400 for a malformed percent-encoding in the path', async () => {
    const res = await t.app.inject({ url: '/api/history/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: 'The URL holds a malformed percent-encoding' });
  });

  it('414 for a path parameter over the router limit', async () => {
    const res = await t.app.inject({ url: `/api/docker/${'x'.repeat(5000)}/containers` });
    expect(res.statusCode).toBe(414);
    expect(res.json()).toEqual({ detail: 'A path parameter is too long' });
  });
});

describe('Swagger UI files', () => {
  it('sends /docs/static/index.html to the page whatever its query, instead of redirecting to itself', async () => {
    for (const url of [
      '/docs/static/index.html',
      '/docs/static/index.html?x',
      '/docs/static/index.html?a=/static/index.html',
    ]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(302);
      expect(res.headers.location, url).toBe('/docs/');
    }
  });

  it('answers a missing static file 404 in {detail} form, not 405', async () => {
    for (const url of ['/docs/static/missing.js', '/ui/assets/missing.js']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ detail: 'Not Found' });
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/status' });
    expect(res.statusCode).toBe(405);
  });
});

describe('storage full', () => {
  it('answers 507 with a detail, stores nothing, and accepts reports again once there is room', async () => {
    const db = sqliteStoreOf(t).db; // a real SQLITE_FULL needs SQLite's page limit
    const pages = db.pragma('page_count', { simple: true }) as number;
    // A real SQLITE_FULL: the database may not grow by more than a few pages.
    db.pragma(`max_page_count = ${pages + 2}`);
    let answer;
    for (let i = 0; i < 50; i++) {
      answer = await t.app.inject({
        method: 'POST',
        url: '/api/report',
        headers: AUTH,
        payload: makeReport(`full-${i}`),
      });
      if (answer.statusCode !== 200) break;
    }
    expect(answer!.statusCode).toBe(507);
    expect(answer!.json().detail).toMatch(/^Storage full/);
    expect(answer!.headers['retry-after']).toBeDefined();
    const listed = (await t.app.inject({ url: '/api/status' }))
      .json()
      .results.map((r: { server_alias: string }) => r.server_alias);
    const refused = `full-${listed.filter((a: string) => a.startsWith('full-')).length}`;
    expect(listed).not.toContain(refused);
    db.pragma('max_page_count = 1073741823');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/report',
      headers: AUTH,
      payload: makeReport(refused),
    });
    expect(again.statusCode).toBe(200);
  });
});
