import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { makeReport } from '../helpers/reports.js';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { createLogger } from '../../src/server/logger.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A pino sink collecting each JSON line. */
function logSink(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

/** The parsed log lines about rejected or failed requests. */
function rejections(lines: string[]): Record<string, unknown>[] {
  return lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === 'request rejected' || l.msg === 'request failed');
}

describe('request log', () => {
  it('logs a rejected request as one JSON line with its reason beside the message', async () => {
    const sink = logSink();
    t = await testApp({ logger: pino({ level: 'info' }, sink.stream) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/report',
      headers: { authorization: 'Bearer wrong-key-0123456789' },
      payload: {},
    });
    expect(res.statusCode).toBe(401);
    const line = sink.lines.find((l) => l.includes('request rejected'))!;
    expect(line.match(/"msg":/g)).toHaveLength(1); // a second "msg" key would hide one of the two in most log tools
    expect(JSON.parse(line)).toMatchObject({
      msg: 'request rejected',
      reason: 'Invalid or missing API key',
      statusCode: 401,
      url: '/api/report',
    });
  });

  it('logs every rejected request once, with the status code the client got', async () => {
    const sink = logSink();
    t = await testApp({ logger: pino({ level: 'info' }, sink.stream), bodyLimit: 1024 });
    const cases: { name: string; status: number; send: () => Promise<{ statusCode: number }> }[] = [
      { name: 'no key', status: 401, send: () => t!.app.inject({ method: 'POST', url: '/api/report', payload: {} }) },
      { name: 'unknown path', status: 404, send: () => t!.app.inject({ url: '/api/nothing' }) },
      { name: 'other method', status: 405, send: () => t!.app.inject({ method: 'PUT', url: '/api/status' }) },
      {
        name: 'body too large',
        status: 413,
        send: () =>
          t!.app.inject({
            method: 'POST',
            url: '/api/report',
            headers: AUTH,
            payload: { ...makeReport('big'), pad: 'x'.repeat(2000) },
          }),
      },
      {
        name: 'schema violation',
        status: 422,
        send: () => t!.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: { server_alias: 5 } }),
      },
      {
        name: 'protocol too new (answered by the route itself)',
        status: 422,
        send: () =>
          t!.app.inject({
            method: 'POST',
            url: '/api/report',
            headers: AUTH,
            payload: { server_alias: 'a', protocol_version: '99.0' },
          }),
      },
      {
        name: 'malformed percent-encoding (answered by the router)',
        status: 400,
        send: () => t!.app.inject({ method: 'DELETE', url: '/api/server/%E0%A4%A', headers: AUTH }),
      },
    ];
    for (const c of cases) {
      sink.lines.length = 0;
      const res = await c.send();
      expect(res.statusCode, c.name).toBe(c.status);
      const logged = rejections(sink.lines);
      expect(logged, c.name).toHaveLength(1);
      expect(logged[0], c.name).toMatchObject({ msg: 'request rejected', statusCode: c.status, level: 30 });
    }
  });

  it("logs a request Node's HTTP parser refused, with the 400 it answered", async () => {
    const sink = logSink();
    t = await testApp({ logger: pino({ level: 'info' }, sink.stream) });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as { port: number };
    const answer = await new Promise<string>((resolve) => {
      let data = '';
      const socket = connect(port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('data', (d) => (data += d));
      socket.on('close', () => resolve(data));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(rejections(sink.lines)).toEqual([expect.objectContaining({ msg: 'request rejected', statusCode: 400 })]);
  });

  it('logs nothing for requests that succeed', async () => {
    const sink = logSink();
    t = await testApp({ logger: pino({ level: 'info' }, sink.stream) });
    const res = await t.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: makeReport('ok') });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/status' })).statusCode).toBe(200);
    expect(rejections(sink.lines)).toEqual([]);
  });
});

describe('server logger', () => {
  it('stamps each line with an ISO 8601 time', () => {
    const sink = logSink();
    createLogger('info', {}, sink.stream).info({ a: 1 }, 'hello');
    const line = JSON.parse(sink.lines[0]!) as { time: unknown };
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(line.time as string) - Date.now())).toBeLessThan(60_000);
  });
});
