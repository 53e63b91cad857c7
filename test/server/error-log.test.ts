import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('request log', () => {
  it('logs a rejected request as one JSON line with its reason beside the message', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    t = await testApp({ logger: pino({ level: 'info' }, sink) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/report',
      headers: { authorization: 'Bearer wrong-key-0123456789' },
      payload: {},
    });
    expect(res.statusCode).toBe(401);
    const line = lines.find((l) => l.includes('request rejected'))!;
    expect(line.match(/"msg":/g)).toHaveLength(1); // a second "msg" key would hide one of the two in most log tools
    expect(JSON.parse(line)).toMatchObject({
      msg: 'request rejected',
      reason: 'Invalid or missing API key',
      status: 401,
      url: '/api/report',
    });
  });
});
