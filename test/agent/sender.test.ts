/**
 * The sender against a real Fleetwatch server (dist/server/main.js), plus a
 * plain HTTP listener answering 503 the way a proxy does when its backend is
 * down.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer } from 'node:http';
import { Sender } from '../../src/agent/sender.js';
import { Spool } from '../../src/agent/spool.js';
import { startServer, freePort, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeReport } from '../helpers/reports.js';

const KEY = 'sender-test-key-0123456789';

function recordingLog() {
  const lines: { level: string; data: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (data: Record<string, unknown>, msg: string) => { lines.push({ level, data, msg }); };
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } as never };
}

describe('sender', () => {
  let server: ServerProcess;
  const data = tempDir('fw-sender-data-');
  const spoolRoot = tempDir('fw-sender-spool-');
  beforeAll(async () => { server = await startServer({ DATA_DIR: data.path, API_KEY: KEY }); });
  afterAll(async () => { await server?.stop(); data.remove(); spoolRoot.remove(); });

  const make = (url: string, name: string, key = KEY) => {
    const spool = new Spool({ dir: `${spoolRoot.path}/${name}`, maxAgeMs: 3_600_000, maxBytes: 1e8 });
    const rec = recordingLog();
    return { spool, ...rec, sender: new Sender({ url, apiKey: key, timeoutMs: 2000, retries: 3, backoffMs: 20 }, spool, rec.log) };
  };

  it('a 422 is logged with the server\'s detail and dropped, not retried or spooled', async () => {
    const { sender, spool, lines } = make(`${server.url}/api/report`, 'bad-body');
    const bad = { ...makeReport('bad-host'), cpu: { percent: 500, loadavg: { '1m': 0, '5m': 0, '15m': 0 } } };
    expect(await sender.deliver(JSON.stringify(bad))).toBe(false);
    expect(await spool.list()).toEqual([]);
    const err = lines.find((l) => l.level === 'error')!;
    expect(err.data.status).toBe(422);
    expect(String(err.data.detail)).toContain('body.cpu.percent');
  });

  it('a wrong key is a 401 with the server\'s detail', async () => {
    const { sender, lines, spool } = make(`${server.url}/api/report`, 'bad-key', 'wrong-key-000000000000');
    expect(await sender.deliver(JSON.stringify(makeReport('k-host')))).toBe(false);
    expect(lines.find((l) => l.level === 'error')!.data).toMatchObject({ status: 401, detail: 'Invalid or missing API key' });
    expect(await spool.list()).toEqual([]);
  });

  it('an unreachable server: retries, then spools; later the spool is replayed first, in order', async () => {
    const deadPort = await freePort();
    const { sender: offline, spool } = make(`http://127.0.0.1:${deadPort}/api/report`, 'outage');
    for (let i = 0; i < 3; i++) expect(await offline.deliver(JSON.stringify(makeReport('outage-host', { uptime_seconds: i })))).toBe(false);
    expect(await spool.list()).toHaveLength(3);

    // The server is back: same spool, real server.
    const seen: number[] = [];
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString();
      const upstream = await fetch(`${server.url}/api/report`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: req.headers.authorization! } });
      if (upstream.ok) seen.push(JSON.parse(body).uptime_seconds);
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const { port } = proxy.address() as { port: number };
      const back = new Sender({ url: `http://127.0.0.1:${port}/api/report`, apiKey: KEY, timeoutMs: 2000, retries: 3, backoffMs: 20 }, spool, recordingLog().log);
      expect(await back.deliver(JSON.stringify(makeReport('outage-host', { uptime_seconds: 3 })))).toBe(true);
      expect(seen).toEqual([0, 1, 2, 3]);
      expect(await spool.list()).toEqual([]);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it('a 503 is retried with backoff, then the report is spooled', async () => {
    let hits = 0;
    const down = createServer((_req, res) => { hits++; res.writeHead(503, { 'content-type': 'application/json' }).end('{"detail":"upstream down"}'); });
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
});
