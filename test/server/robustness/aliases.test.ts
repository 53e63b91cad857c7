/**
 * Every alias the contract accepts can be read and deleted through every
 * route, and the ones a URL cannot carry are refused at ingest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, testApp, type TestApp } from '../../helpers/test-app.js';
import { makeReport } from '../../helpers/reports.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const post = (body: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: body as object });
const path = (alias: string) => encodeURIComponent(alias);

const ALIASES: Record<string, string> = {
  '255 ASCII characters': 'a'.repeat(255),
  '255 three-byte characters': '日'.repeat(255),
  '255 four-byte characters': '🚀'.repeat(255),
  'URL punctuation': 'gpu/01?x=1#frag %2F;&+',
  'dots inside': 'a..b',
  'a leading dot': '.hidden',
};

describe('aliases through every route', () => {
  for (const [name, alias] of Object.entries(ALIASES)) {
    it(`routes an alias of ${name}`, async () => {
      expect((await post(makeReport(alias))).statusCode).toBe(200);
      const status = (await t.app.inject({ url: '/api/status' })).json();
      expect(status.results.map((r: { server_alias: string }) => r.server_alias)).toContain(alias);
      const docker = await t.app.inject({ url: `/api/docker/${path(alias)}/containers` });
      expect(docker.statusCode, docker.body).toBe(200);
      expect(docker.json()).toEqual(makeReport(alias).containers);
      const history = await t.app.inject({ url: `/api/history/${path(alias)}?metrics=cpu&from=-1h` });
      expect(history.statusCode, history.body).toBe(200);
      expect(history.json().alias).toBe(alias);
      const removed = await t.app.inject({ method: 'DELETE', url: `/api/server/${path(alias)}`, headers: AUTH });
      expect(removed.statusCode, removed.body).toBe(200);
      expect((await t.app.inject({ url: `/api/docker/${path(alias)}/containers` })).statusCode).toBe(404);
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/server/${path(alias)}`, headers: AUTH })).statusCode,
      ).toBe(404);
    });
  }

  it('refuses 256 characters with a 422 naming the field, and answers a longer path parameter in {detail} form', async () => {
    const res = await post(makeReport('b'.repeat(256)));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0].loc).toEqual(['body', 'server_alias']);
    const tooLong = await t.app.inject({ url: `/api/history/${'a'.repeat(4000)}` });
    expect(tooLong.statusCode).toBe(414);
    expect(tooLong.json()).toEqual({ detail: expect.any(String) });
  });

  for (const alias of ['.', '..']) {
    it(`refuses the alias '${alias}', which no URL can carry`, async () => {
      const res = await post(makeReport(alias));
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toEqual([
        expect.objectContaining({ loc: ['body', 'server_alias'], type: 'value_error' }),
      ]);
      expect(
        (await t.app.inject({ url: '/api/status' }))
          .json()
          .results.some((r: { server_alias: string }) => r.server_alias === alias),
      ).toBe(false);
    });
  }
});
