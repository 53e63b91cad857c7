/** A read model's joined body sent in slabs: the same bytes as one buffer, with its length, through real HTTP. */
import { afterEach, expect, it, vi } from 'vitest';
import { JoinedJson } from '../../src/server/joined-json.js';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { makeReport } from '../helpers/reports.js';

let t: TestApp | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
  t = undefined;
});

function joined(pieces: string[]): JoinedJson {
  const parts = pieces.map((p) => Buffer.from(p));
  return new JoinedJson(
    parts,
    parts.reduce((n, p) => n + p.length, 0),
  );
}

async function read(json: JoinedJson): Promise<Buffer[]> {
  const slabs: Buffer[] = [];
  for await (const slab of json.stream()) slabs.push(slab as Buffer);
  return slabs;
}

it('streams every piece in order, in slabs of about 256 KiB that never split a piece', async () => {
  const pieces = ['{"results":[', ...Array.from({ length: 2000 }, (_, i) => `"${'é'.repeat(i % 700)}",`), '0]}'];
  const json = joined(pieces);
  const slabs = await read(json);
  expect(Buffer.concat(slabs).equals(json.bytes())).toBe(true);
  expect(JSON.parse(Buffer.concat(slabs).toString('utf8')).results).toHaveLength(2001);
  expect(slabs.length).toBeGreaterThan(2);
  const largest = Math.max(...json.parts.map((p) => p.length));
  for (const slab of slabs) expect(slab.length).toBeLessThan(256 * 1024 + largest);
});

it('makes each slab once: a second reader of the same body gets the very same buffers', async () => {
  const json = joined(['[', ...Array.from({ length: 3000 }, () => `"${'x'.repeat(300)}",`), '0]']);
  const first = await read(json);
  const concat = vi.spyOn(Buffer, 'concat');
  const second = await read(json);
  expect(concat).not.toHaveBeenCalled();
  expect(second).toHaveLength(first.length);
  second.forEach((slab, i) => expect(slab).toBe(first[i]));
});

it('serves /api/status, /api/machines and /api/hosts over HTTP with a Content-Length equal to the body', async () => {
  t = await testApp();
  for (let i = 0; i < 60; i++) {
    const res = await t.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: makeReport(`h${i}`) });
    expect(res.statusCode).toBe(200);
  }
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  for (const [path, key, count] of [
    ['/api/status', 'results', 60],
    ['/api/hosts', 'hosts', 60],
  ] as const) {
    const res = await fetch(`${base}${path}`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(body.toString('utf8'))[key]).toHaveLength(count);
  }
  const machines = await fetch(`${base}/api/machines`);
  expect(Number(machines.headers.get('content-length'))).toBe((await machines.arrayBuffer()).byteLength);
  const head = await fetch(`${base}/api/status`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
});
