/**
 * /api/events with WORKERS=2: every client sees every change, whichever
 * worker received the report or holds the stream, and a host that goes
 * silent produces one `down` event.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../../helpers/server-process.js';
import { makeReport } from '../../helpers/reports.js';
import { tempDir } from '../../helpers/temp-dir.js';

const KEY = 'events-test-key-0123456789abcdef';
const dir = tempDir('fleetwatch-events-');
let server: ServerProcess;

interface Received {
  event: string;
  data: { server_alias: string };
}

/** Opens an SSE stream on a fresh connection and collects its events. */
function listen(url: string): Promise<{ events: Received[]; close: () => void; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/events`, { agent: false }, (res) => {
      const events: Received[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      });
      resolve({ events, close: () => req.destroy(), headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Posts on a new connection each time, so the workers share the load. */
function post(url: string, alias: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(makeReport(alias));
    const req = request(
      `${url}/api/report`,
      {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${KEY}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dir.path, API_KEY: KEY, WORKERS: '2', STALE_THRESHOLD_SECONDS: '3' });
});

afterAll(async () => {
  await server?.stop();
  dir.remove();
});

it('delivers every report to every stream across worker processes, then one `down` per silent host', async () => {
  const streams = await Promise.all([listen(server.url), listen(server.url), listen(server.url), listen(server.url)]);
  expect(streams[0]!.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  await new Promise((r) => setTimeout(r, 300)); // every worker has its stream's subscription before the reports
  const aliases = ['w-0', 'w-1', 'w-2', 'w-3', 'w-4', 'w-5'];
  for (const alias of aliases) expect(await post(server.url, alias)).toBe(200);

  for (const s of streams) {
    await until(() => aliases.every((a) => s.events.some((e) => e.event === 'report' && e.data.server_alias === a)));
  }
  for (const s of streams) {
    await until(() => aliases.every((a) => s.events.some((e) => e.event === 'down' && e.data.server_alias === a)));
    expect(s.events.filter((e) => e.event === 'down')).toHaveLength(aliases.length);
  }
  // A down host that reports again comes back as `up`.
  expect(await post(server.url, 'w-0')).toBe(200);
  for (const s of streams) await until(() => s.events.some((e) => e.event === 'up' && e.data.server_alias === 'w-0'));
  for (const s of streams) s.close();
});
