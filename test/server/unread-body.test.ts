/**
 * A body over BODY_LIMIT, over real HTTP: the 413 and its detail must reach
 * the client every time, with the agent's own client, fetch and curl, rather
 * than a reset; and a client that keeps sending is still cut off.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postReport } from '../../src/agent/sender.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { testApp } from '../helpers/test-app.js';

const KEY = 'unread-body-test-key-0123456789';
const TRIES = 50;
const MiB = 1024 * 1024;
const DETAIL = `Request body is larger than the limit of ${2 * MiB} bytes`;
/** 10 MB of JSON, five times the default limit: what a host with a huge container list might send. */
const BIG = JSON.stringify({ server_alias: 'huge', pad: 'x'.repeat(10 * MiB) });

/** Runs `attempt` TRIES times in a row; the outcomes that were not the readable 413. */
async function misses(attempt: () => Promise<string>): Promise<string[]> {
  const wrong: string[] = [];
  for (let i = 0; i < TRIES; i++) {
    const outcome = await attempt().catch(
      (err: Error & { cause?: { code?: string } }) => `threw ${err.cause?.code ?? err.message}`,
    );
    if (outcome !== `413 ${DETAIL}`) wrong.push(outcome);
  }
  return wrong;
}

const curl = (args: string[]) =>
  new Promise<string>((resolve) => {
    execFile('curl', ['-sS', '-o', '-', '-w', '\n%{http_code}', ...args], (_err, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });

/**
 * Sends request headers, then body bytes as fast as the server takes them
 * (or `trickle` bytes every 50 ms), ignoring any answer, until the server
 * closes; the answer's status line and how many bytes went out.
 */
function floodUntilCut(port: number, headers: string, trickle = false): Promise<{ statusLine: string; sent: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const bytes = Buffer.alloc(MiB, 'x');
    const chunk = headers.includes('chunked')
      ? Buffer.concat([Buffer.from(`${MiB.toString(16)}\r\n`), bytes, Buffer.from('\r\n')])
      : bytes;
    let sent = 0;
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
    });
    const done = () => resolve({ statusLine: answer.split('\r\n')[0]!, sent });
    socket.on('error', done).on('close', done);
    socket.write(
      `POST /api/report HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\nauthorization: Bearer ${KEY}\r\n${headers}\r\n\r\n`,
    );
    if (trickle) {
      const timer = setInterval(() => {
        if (socket.destroyed) clearInterval(timer);
        else {
          socket.write('x');
          sent++;
        }
      }, 50);
      return;
    }
    const pump = () => {
      // 1 GiB is the test's own stop, far past any bound the server may have.
      while (!socket.destroyed && sent < 1024 * MiB) {
        sent += bytes.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.destroy();
    };
    pump();
  });
}

describe('a body over BODY_LIMIT over real HTTP', () => {
  let server: ServerProcess;
  const dir = tempDir('fw-unread-body-');
  const bigFile = `${dir.path}/big.json`;
  beforeAll(async () => {
    writeFileSync(bigFile, BIG);
    server = await startServer({ DATA_DIR: `${dir.path}/data`, API_KEY: KEY });
  });
  afterAll(async () => {
    await server?.stop();
    dir.remove();
  });
  const url = () => `${server.url}/api/report`;

  it(`the agent's own client reads the 413 and its detail, ${TRIES} of ${TRIES}`, async () => {
    expect(
      await misses(async () => {
        const result = await postReport({ url: url(), apiKey: KEY, timeoutMs: 10_000 }, BIG);
        return result.kind === 'rejected' ? `${result.status} ${result.detail}` : JSON.stringify(result);
      }),
    ).toEqual([]);
  });

  it(`fetch reads the 413 and its detail, ${TRIES} of ${TRIES}`, async () => {
    expect(
      await misses(async () => {
        const res = await fetch(url(), {
          method: 'POST',
          body: BIG,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        });
        return `${res.status} ${((await res.json()) as { detail: string }).detail}`;
      }),
    ).toEqual([]);
  });

  it(`curl reads the 413 and its detail, ${TRIES} of ${TRIES}`, async () => {
    expect(
      await misses(async () => {
        const out = await curl([
          '-H',
          'content-type: application/json',
          '-H',
          `authorization: Bearer ${KEY}`,
          '--data-binary',
          `@${bigFile}`,
          url(),
        ]);
        const [body, status] = [out.slice(0, out.lastIndexOf('\n')), out.slice(out.lastIndexOf('\n') + 1)];
        try {
          return `${status} ${(JSON.parse(body) as { detail: string }).detail}`;
        } catch {
          return out.slice(0, 200);
        }
      }),
    ).toEqual([]);
  });

  it('a chunked body (no Content-Length) gets the readable 413 as well', async () => {
    const chunked = () =>
      new ReadableStream({
        start(controller) {
          for (let at = 0; at < BIG.length; at += MiB)
            controller.enqueue(new TextEncoder().encode(BIG.slice(at, at + MiB)));
          controller.close();
        },
      });
    const wrong: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(url(), {
        method: 'POST',
        body: chunked(),
        duplex: 'half',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      } as RequestInit);
      const outcome = `${res.status} ${((await res.json()) as { detail: string }).detail}`;
      if (outcome !== `413 ${DETAIL}`) wrong.push(outcome);
    }
    expect(wrong).toEqual([]);
  });

  it('the 413 says Connection: close, so the client does not reuse the socket', async () => {
    const res = await fetch(url(), {
      method: 'POST',
      body: BIG,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    await res.body?.cancel();
  });

  it("answers with nothing left to read keep the connection open: a GET's 404, a small body's 401 or 415", async () => {
    const connectionOf = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${server.url}${path}`, init);
      await res.arrayBuffer();
      return `${res.status} ${res.headers.get('connection')}`;
    };
    const post = (type: string, key: string): RequestInit => ({
      method: 'POST',
      body: '{}',
      headers: { 'content-type': type, authorization: `Bearer ${key}` },
    });
    for (let i = 0; i < 10; i++) {
      expect(await connectionOf('/no-such-page')).toBe('404 keep-alive');
      expect(await connectionOf('/api/report', post('application/json', 'wrong-key-0123456789abc'))).toBe(
        '401 keep-alive',
      );
      expect(await connectionOf('/api/report', post('text/plain', KEY))).toBe('415 keep-alive');
    }
  });

  it('a client that keeps sending is cut off after the bound (16 MiB at the default limit), declared or chunked', async () => {
    for (const header of ['content-length: 10737418240', 'transfer-encoding: chunked']) {
      const { statusLine, sent } = await floodUntilCut(server.port, header);
      expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large');
      // What the server read, plus what the two sockets' buffers held when it closed.
      expect(sent).toBeGreaterThanOrEqual(16 * MiB);
      expect(sent).toBeLessThan(64 * MiB);
    }
  });
});

describe('the time bound', () => {
  it('a client that trickles an oversized body is cut off once the bound has passed', async () => {
    const t = await testApp({ apiKey: KEY, unreadBody: { maxBytes: 16 * MiB, maxMs: 300 } });
    try {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const started = Date.now();
      const { statusLine } = await floodUntilCut(
        (t.app.server.address() as AddressInfo).port,
        'content-length: 10737418240',
        true,
      );
      expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large');
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await t.close();
    }
  });
});
