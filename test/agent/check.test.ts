/** `fleetwatch-agent check` against a real server: a verdict on the key that leaves no rejected request behind. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runAgent } from './helpers/agent-process.js';

const KEY = 'check-key-0123456789abcdef';

describe('fleetwatch-agent check', () => {
  const data = tempDir('fw-agent-check-');
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ DATA_DIR: data.path, API_KEY: KEY });
  });
  afterAll(async () => {
    await server.stop();
    data.remove();
  });

  /** The server's log lines from `since` on that record a rejected request. */
  const rejectedSince = (since: number) =>
    server
      .output()
      .slice(since)
      .split('\n')
      .filter((l) => l.includes('"request rejected"'));

  it('accepts a good key without a rejected request in the server log', async () => {
    const since = server.output().length;
    const { code, stdout } = await runAgent(['check'], { API_ENDPOINT: server.url, API_KEY: KEY });
    expect(stdout).toContain('ok   API_KEY accepted');
    expect(code, stdout).toBe(0);
    expect(rejectedSince(since)).toEqual([]);
  });

  it('refuses a wrong key, which the server logs as the 401 it is', async () => {
    const since = server.output().length;
    const { code, stdout } = await runAgent(['check'], {
      API_ENDPOINT: server.url,
      API_KEY: 'wrong-key-0123456789abcdef',
    });
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL the server refused API_KEY: Invalid or missing API key');
    const lines = rejectedSince(since);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ statusCode: 401, url: '/api/auth/check' });
  });

  it('falls back to an empty report on a server without the key check (the original backend)', async () => {
    const original: Server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/') {
        res.end(JSON.stringify({ service: 'Server Monitoring API', status: 'online' }));
      } else if (req.method === 'POST' && req.url === '/api/report') {
        const good = req.headers.authorization === `Bearer ${KEY}`;
        res.statusCode = good ? 422 : 401;
        res.end(JSON.stringify({ detail: good ? [{ loc: ['body'], msg: 'Field required' }] : 'Invalid API key' }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ detail: 'Not Found' }));
      }
    });
    await new Promise<void>((resolve) => original.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(original.address() as { port: number }).port}`;
      const good = await runAgent(['check'], { API_ENDPOINT: endpoint, API_KEY: KEY });
      expect(good.stdout).toContain('ok   API_KEY accepted');
      const bad = await runAgent(['check'], { API_ENDPOINT: endpoint, API_KEY: 'wrong-key-0123456789abcdef' });
      expect(bad.stdout).toContain('FAIL the server refused API_KEY: Invalid API key');
    } finally {
      await new Promise((resolve) => original.close(resolve));
    }
  });
});
