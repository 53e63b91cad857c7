/**
 * The caps on /api/events, on a real server: EVENTS_MAX_STREAMS in total and
 * EVENTS_MAX_STREAMS_PER_CLIENT per client address (the test connects from
 * 127.0.0.1, .2 and .3, all loopback). Beyond a cap the answer is a 503
 * with Retry-After and a {detail}; a closed stream frees its slot.
 */
import { request, type ClientRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../../helpers/server-process.js';
import { tempDir } from '../../helpers/temp-dir.js';

const dir = tempDir('fleetwatch-events-caps-');
let server: ServerProcess;
const opened: ClientRequest[] = [];

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  close: () => void;
}

/** GET /api/events from `from`; a stream resolves once its headers arrive and stays open until closed. */
function openStream(from: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/api/events`, { agent: false, localAddress: from }, (res) => {
      const answer = { status: res.statusCode ?? 0, headers: res.headers, body: '', close: () => req.destroy() };
      if (answer.status === 200) {
        resolve(answer);
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        answer.body += chunk;
      });
      res.on('end', () => resolve(answer));
    });
    req.on('error', reject);
    opened.push(req);
    req.end();
  });
}

beforeAll(async () => {
  server = await startServer({
    DATA_DIR: dir.path,
    API_KEY: 'events-caps-key-0123456789abcdef',
    EVENTS_MAX_STREAMS: '3',
    EVENTS_MAX_STREAMS_PER_CLIENT: '2',
  });
});

afterEach(() => {
  for (const req of opened.splice(0)) req.destroy();
});

afterAll(async () => {
  await server?.stop();
  dir.remove();
});

it('refuses a stream beyond the cap per client address, then beyond the total, with 503, Retry-After and a detail', async () => {
  expect((await openStream('127.0.0.1')).status).toBe(200);
  expect((await openStream('127.0.0.1')).status).toBe(200);
  const perClient = await openStream('127.0.0.1');
  expect(perClient.status).toBe(503);
  expect(perClient.headers['retry-after']).toBe('10');
  expect(perClient.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(perClient.body)).toEqual({
    detail: 'Too many live-event streams open from 127.0.0.1 (2); close some or retry later',
  });

  // Another address still gets a stream, up to the total.
  expect((await openStream('127.0.0.2')).status).toBe(200);
  const total = await openStream('127.0.0.3');
  expect(total.status).toBe(503);
  expect(total.headers['retry-after']).toBe('10');
  expect(JSON.parse(total.body)).toEqual({ detail: 'Too many live-event streams open (3); retry later' });
});

it('gives the slot of a closed stream to the next client', async () => {
  // The streams of the test before are gone once the server has seen them close, a moment after the client.
  const first = await untilAccepted('127.0.0.1');
  await untilAccepted('127.0.0.1');
  expect((await openStream('127.0.0.1')).status).toBe(503);
  first.close();
  await untilAccepted('127.0.0.1'); // throws after 10 s if the slot stayed taken
});

/** Opens streams from `from` until one is accepted; the refused ones are closed. */
async function untilAccepted(from: string): Promise<Answer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await openStream(from);
    if (answer.status === 200) return answer;
    if (Date.now() > deadline) throw new Error(`still answered ${answer.status}: ${answer.body}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
