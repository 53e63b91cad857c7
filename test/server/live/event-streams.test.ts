/**
 * The open /api/events streams over real sockets: a client that stops
 * reading is closed once its unsent bytes pass the limit, without holding up
 * the others; and every stream shares one keep-alive timer and one
 * subscription to the hub.
 */
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, expect, it, vi } from 'vitest';
import { hostReport } from '../../../bench/fleet.js';
import { EventStreams } from '../../../src/server/live/event-streams.js';
import { AUTH, testApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp | undefined;
let server: Server | undefined;
/** Closes the clients a test opened. */
const closers: Array<() => void> = [];
const closeClients = () => {
  for (const close of closers.splice(0)) close();
};

afterEach(async () => {
  vi.restoreAllMocks();
  closeClients();
  await t?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  t = server = undefined;
});

/** A stream that reads everything: its bytes so far, and whether it is still open. */
function readingStream(url: string): Promise<{ text: () => string; open: () => boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/events`, { agent: false }, (res) => {
      let text = '';
      let open = true;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('close', () => {
        open = false;
      });
      resolve({ text: () => text, open: () => open });
    });
    req.on('error', reject);
    closers.push(() => req.destroy());
    req.end();
  });
}

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('closes a stream whose client stopped reading once its unsent bytes pass the limit, and keeps serving the others', async () => {
  const LIMIT = 64 * 1024;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  t = await testApp({ logger: pino({ level: 'info' }, sink), eventStreams: { maxBufferedBytes: LIMIT } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const reader = await readingStream(url);
  const stuck = connect(port, '127.0.0.1', () => stuck.write('GET /api/events HTTP/1.1\r\nHost: localhost\r\n\r\n'));
  closers.push(() => stuck.destroy());
  stuck.pause(); // never reads: the kernel's buffers fill, then the server's
  await until(() => reader.text().includes(': connected'));

  const dropped = () =>
    lines
      .map((l) => JSON.parse(l) as { msg: string; bufferedBytes?: number })
      .find((l) => l.msg.includes('fell behind'));
  for (let i = 0; !dropped(); i++) {
    // GPU boxes: their events are the biggest (a few kB each).
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/report',
      headers: AUTH,
      payload: hostReport((i % 200) * 4),
    });
    expect(res.statusCode).toBe(200);
    if (i > 20_000) throw new Error('the stuck stream was never closed'); // it takes about 1,500
  }
  // Closed with no more waiting than the limit and one frame: a quarter of the limit, and the event that crossed it.
  expect(dropped()!.bufferedBytes).toBeGreaterThan(LIMIT);
  expect(dropped()!.bufferedBytes).toBeLessThanOrEqual(LIMIT * 1.25 + 8 * 1024);

  // The stuck client, reading at last, gets what the kernel held, then the end of the stream.
  let ended = false;
  stuck
    .on('close', () => {
      ended = true;
    })
    .resume();
  await until(() => ended, 10_000);
  // The reading one is still served.
  expect(reader.open()).toBe(true);
  await t.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: hostReport(1) });
  await until(() => reader.text().includes('"server_alias":"host-00001"'), 10_000);
});

it('serves every stream from one keep-alive timer and one subscription', async () => {
  const setInterval = vi.spyOn(globalThis, 'setInterval');
  let subscriptions = 0;
  let unsubscriptions = 0;
  const source = () => {
    subscriptions++;
    return () => {
      unsubscriptions++;
    };
  };
  const streams = new EventStreams(
    { maxStreams: 10, maxStreamsPerClient: 10, maxBufferedBytes: 1024 * 1024 },
    50,
    source,
  );
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    streams.open(res, req.socket.remoteAddress ?? '', Buffer.from(': connected\n\n')).pipe(res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const readers = await Promise.all([0, 1, 2].map(() => readingStream(url)));
  await until(() => readers.every((r) => r.text().includes(': ping')), 5_000);
  expect(streams.size).toBe(3);
  expect(setInterval).toHaveBeenCalledTimes(1);
  expect(subscriptions).toBe(1);

  closeClients();
  await until(() => streams.size === 0, 5_000);
  expect(unsubscriptions).toBe(1);
});

it('ends every stream when the server closes, so shutdown does not wait for them', async () => {
  t = await testApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const readers = await Promise.all([0, 1, 2].map(() => readingStream(url)));
  await until(() => readers.every((r) => r.text().includes(': connected')));
  const closing = performance.now();
  await t.close();
  t = undefined;
  expect(performance.now() - closing).toBeLessThan(5_000);
  await until(() => readers.every((r) => !r.open()), 5_000);
});
