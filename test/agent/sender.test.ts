/**
 * The sender against a real Fleetwatch server (dist/server/main.js), plus
 * plain HTTP listeners answering 503 the way a proxy does when its backend is
 * down, and resetting large bodies the way an older server or a proxy does
 * instead of answering 413.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type RequestListener } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { LARGE_REPORT_BYTES, Sender } from '../../src/agent/sender.js';
import { Spool } from '../../src/agent/spool.js';
import { PROTOCOL_VERSION } from '../../src/contract/index.js';
import { startServer, freePort, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeReport } from '../helpers/reports.js';

const KEY = 'sender-test-key-0123456789';

function recordingLog() {
  const lines: { level: string; data: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (data: Record<string, unknown>, msg: string) => {
    lines.push({ level, data, msg });
  };
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } as never };
}

/** A report well over the server's default 2 MiB limit, and over LARGE_REPORT_BYTES. */
const bigReport = (alias: string) => JSON.stringify({ ...makeReport(alias), pad: 'x'.repeat(10 * 1024 * 1024) });

/** A plain HTTP listener on 127.0.0.1; its port and a close function. */
async function listen(handler: RequestListener): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('sender', () => {
  let server: ServerProcess;
  const data = tempDir('fw-sender-data-');
  const spoolRoot = tempDir('fw-sender-spool-');
  beforeAll(async () => {
    server = await startServer({ DATA_DIR: data.path, API_KEY: KEY });
  });
  afterAll(async () => {
    await server?.stop();
    data.remove();
    spoolRoot.remove();
  });

  const make = (url: string, name: string, key = KEY) => {
    const spool = new Spool({ dir: `${spoolRoot.path}/${name}`, maxAgeMs: 3_600_000, maxBytes: 1e8 });
    const rec = recordingLog();
    return {
      spool,
      ...rec,
      sender: new Sender({ url, apiKey: key, timeoutMs: 2000, retries: 3, backoffMs: 20 }, spool, rec.log),
    };
  };

  it('logs once what the server stored the report without, and once when it stores every field again', async () => {
    const { sender, lines } = make(`${server.url}/api/report`, 'ignored');
    const newer = JSON.stringify({ ...makeReport('ignored-host'), field_of_a_newer_agent: 1 });
    expect(await sender.deliver(newer)).toBe(true);
    expect(await sender.deliver(newer)).toBe(true);
    expect(await sender.deliver(JSON.stringify(makeReport('ignored-host')))).toBe(true);
    const said = lines.filter((l) => l.level === 'warn' || l.level === 'info');
    expect(said.map((l) => [l.level, l.data.ignored])).toEqual([
      ['warn', ['field_of_a_newer_agent']],
      ['info', undefined],
    ]);
    expect(said[0]!.msg).toMatch(/without some of its fields/);
  });

  it("a 422 is logged with the server's detail and dropped, not retried or spooled", async () => {
    const { sender, spool, lines } = make(`${server.url}/api/report`, 'bad-body');
    const bad = { ...makeReport('bad-host'), cpu: { percent: 500, loadavg: { '1m': 0, '5m': 0, '15m': 0 } } };
    expect(await sender.deliver(JSON.stringify(bad))).toBe(false);
    expect(await spool.list()).toEqual([]);
    const err = lines.find((l) => l.level === 'error')!;
    expect(err.data.status).toBe(422);
    expect(String(err.data.detail)).toContain('body.cpu.percent');
  });

  it('a report of a protocol newer than the server is dropped with a log line saying to upgrade the server', async () => {
    const { sender, spool, lines } = make(`${server.url}/api/report`, 'future-protocol');
    const future = { ...makeReport('future-host'), protocol_version: PROTOCOL_VERSION + 1, field_of_the_future: true };
    expect(await sender.deliver(JSON.stringify(future))).toBe(false);
    expect(await spool.list()).toEqual([]);
    const err = lines.find((l) => l.level === 'error')!;
    expect(err.msg).toBe("server is too old for this agent's protocol: upgrade the server; the report dropped");
    expect(err.data).toEqual({
      status: 422,
      detail: `body.protocol_version: protocol_version ${PROTOCOL_VERSION + 1} is newer than this server understands (${PROTOCOL_VERSION}); upgrade the server`,
    });
    // Any other 422 keeps the plain message.
    const { sender: plain, lines: plainLines } = make(`${server.url}/api/report`, 'plain-422');
    expect(await plain.deliver(JSON.stringify({ ...makeReport('p-host'), uptime_seconds: -1 }))).toBe(false);
    expect(plainLines.find((l) => l.level === 'error')!.msg).toBe('server rejected the report; dropped');
  });

  it("a wrong key is a 401 with the server's detail", async () => {
    const { sender, lines, spool } = make(`${server.url}/api/report`, 'bad-key', 'wrong-key-000000000000');
    expect(await sender.deliver(JSON.stringify(makeReport('k-host')))).toBe(false);
    expect(lines.find((l) => l.level === 'error')!.data).toMatchObject({
      status: 401,
      detail: 'Invalid or missing API key',
    });
    expect(await spool.list()).toEqual([]);
  });

  it('an unreachable server: retries, then spools; later the spool is replayed first, in order', async () => {
    const deadPort = await freePort();
    const { sender: offline, spool } = make(`http://127.0.0.1:${deadPort}/api/report`, 'outage');
    for (let i = 0; i < 3; i++)
      expect(await offline.deliver(JSON.stringify(makeReport('outage-host', { uptime_seconds: i })))).toBe(false);
    expect(await spool.list()).toHaveLength(3);

    // The server is back: same spool, real server.
    const seen: number[] = [];
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString();
      const upstream = await fetch(`${server.url}/api/report`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: req.headers.authorization! },
      });
      if (upstream.ok) seen.push(JSON.parse(body).uptime_seconds);
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const { port } = proxy.address() as { port: number };
      const back = new Sender(
        { url: `http://127.0.0.1:${port}/api/report`, apiKey: KEY, timeoutMs: 2000, retries: 3, backoffMs: 20 },
        spool,
        recordingLog().log,
      );
      expect(await back.deliver(JSON.stringify(makeReport('outage-host', { uptime_seconds: 3 })))).toBe(true);
      expect(seen).toEqual([0, 1, 2, 3]);
      expect(await spool.list()).toEqual([]);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it('a 503 is retried with backoff, then the report is spooled', async () => {
    let hits = 0;
    const down = createServer((_req, res) => {
      hits++;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"detail":"upstream down"}');
    });
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    try {
      const { port } = down.address() as { port: number };
      const { sender, spool, lines } = make(`http://127.0.0.1:${port}/api/report`, 'five-hundred');
      expect(await sender.deliver(JSON.stringify(makeReport('h503')))).toBe(false);
      expect(hits).toBe(3);
      expect(await spool.list()).toHaveLength(1);
      expect(lines.find((l) => l.level === 'warn')!.data.reason).toBe('HTTP 503: upstream down');
    } finally {
      await new Promise((r) => down.close(r));
    }
  });

  it("a spooled report answered 413 is dropped with the server's detail, and the replay goes on past it", async () => {
    const { sender, spool, lines } = make(`${server.url}/api/report`, 'too-large-413');
    const now = Date.now();
    await spool.add(JSON.stringify(makeReport('before-413')), now);
    await spool.add(bigReport('huge-413'), now + 1);
    await spool.add(JSON.stringify(makeReport('after-413')), now + 2);
    expect(await sender.deliver(JSON.stringify(makeReport('latest-413')))).toBe(true);
    expect(await spool.list()).toEqual([]);
    const dropped = lines.filter((l) => l.msg === 'server rejected a spooled report; dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.data).toMatchObject({
      status: 413,
      detail: 'Request body is larger than the limit of 2097152 bytes',
    });
    const aliases = (
      (await (await fetch(`${server.url}/api/status`)).json()) as { results: { server_alias: string }[] }
    ).results.map((r) => r.server_alias);
    expect(aliases).toEqual(expect.arrayContaining(['before-413', 'after-413', 'latest-413']));
    expect(aliases).not.toContain('huge-413');
  });

  describe('a server that resets large bodies instead of answering 413', () => {
    let resetter: Awaited<ReturnType<typeof listen>>;
    const received: string[] = [];
    let largeAttempts = 0;
    beforeAll(async () => {
      resetter = await listen(async (req, res) => {
        if (Number(req.headers['content-length'] ?? 0) > LARGE_REPORT_BYTES) {
          largeAttempts++;
          req.socket.resetAndDestroy();
          return;
        }
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        if (req.method === 'POST')
          received.push((JSON.parse(Buffer.concat(chunks).toString()) as { server_alias: string }).server_alias);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      });
    });
    afterAll(async () => {
      await resetter?.close();
    });

    it('a spooled large report is dropped once, with the reason, and the spool behind it drains', async () => {
      received.length = 0;
      largeAttempts = 0;
      const { sender, spool, lines } = make(`http://127.0.0.1:${resetter.port}/api/report`, 'reset-spooled');
      const now = Date.now();
      await spool.add(JSON.stringify(makeReport('first')), now);
      await spool.add(bigReport('huge'), now + 1);
      await spool.add(JSON.stringify(makeReport('third')), now + 2);
      expect(await sender.deliver(JSON.stringify(makeReport('fourth')))).toBe(true);
      expect(received).toEqual(['first', 'third', 'fourth']);
      expect(largeAttempts).toBe(1);
      expect(await spool.list()).toEqual([]);
      const dropped = lines.find((l) => l.msg === 'server rejected a spooled report; dropped')!;
      expect(dropped.data).toMatchObject({ bytes: bigReport('huge').length });
      expect(String(dropped.data.reason)).toMatch(
        /connection cut while sending \d+ bytes .*taken as over its body limit/,
      );
    });

    it('a fresh large report is dropped after one attempt, neither retried nor spooled', async () => {
      largeAttempts = 0;
      const { sender, spool, lines } = make(`http://127.0.0.1:${resetter.port}/api/report`, 'reset-fresh');
      expect(await sender.deliver(bigReport('huge-fresh'))).toBe(false);
      expect(largeAttempts).toBe(1);
      expect(await spool.list()).toEqual([]);
      expect(lines.find((l) => l.msg === 'server rejected the report; dropped')!.data.reason).toMatch(/connection cut/);
    });
  });

  it('a large report cut off by a server that answers nothing at all is kept: that is an outage, not a size', async () => {
    const dead = createTcpServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    try {
      const { port } = dead.address() as { port: number };
      const { sender, spool } = make(`http://127.0.0.1:${port}/api/report`, 'reset-outage');
      await spool.add(bigReport('huge-outage'));
      expect(await sender.deliver(JSON.stringify(makeReport('small-outage')))).toBe(false);
      const kept = await Promise.all(
        (await spool.list()).map(
          async (e) => (JSON.parse(await spool.read(e)) as { server_alias: string }).server_alias,
        ),
      );
      expect(kept).toEqual(['huge-outage', 'small-outage']);
    } finally {
      await new Promise((r) => dead.close(r));
    }
  });
});
