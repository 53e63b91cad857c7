/** A read model's joined body sent in slabs: the same bytes as one buffer, with its length, through real HTTP. */
import { afterEach, expect, it, vi } from 'vitest';
import Fastify from 'fastify';
import { JoinedJson, SLAB_BYTES } from '../../src/server/joined-json.js';
import { sendSerialized } from '../../src/server/routes/serialized.js';
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

/** About three slabs of JSON: an array of 2,000 strings of varied length, with two-byte characters. */
const threeSlabs = (): string[] => {
  const longest = Math.floor((3 * SLAB_BYTES) / 2000);
  return ['{"results":[', ...Array.from({ length: 2000 }, (_, i) => `"${'é'.repeat((i * longest) / 2000)}",`), '0]}'];
};

it('streams every piece in order, in slabs of about SLAB_BYTES that never split a piece', async () => {
  const pieces = threeSlabs();
  const json = joined(pieces);
  const slabs = await read(json);
  expect(Buffer.concat(slabs).equals(json.bytes())).toBe(true);
  expect(JSON.parse(Buffer.concat(slabs).toString('utf8')).results).toHaveLength(2001);
  expect(slabs.length).toBeGreaterThan(2);
  const largest = Math.max(...json.parts.map((p) => p.length));
  for (const slab of slabs) expect(slab.length).toBeLessThan(SLAB_BYTES + largest);
  expect(json.single()).toBeUndefined();
});

it('gives a body that fits in one slab as that one buffer, made once', () => {
  const json = joined(['[', ...Array.from({ length: 1000 }, () => `"${'x'.repeat(300)}",`), '0]']);
  const single = json.single();
  expect(single?.equals(json.bytes())).toBe(true);
  expect(json.single()).toBe(single);
});

it('makes each slab once: a second reader of the same body gets the very same buffers', async () => {
  const json = joined(threeSlabs());
  const first = await read(json);
  expect(first.length).toBeGreaterThan(1);
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

it('sends a body of several slabs over HTTP as a stream with its Content-Length, and one of a single slab whole', async () => {
  const app = Fastify();
  const big = joined(threeSlabs());
  const small = joined(['{"results":[', '1,', '2', ']}']);
  app.get('/big', (_request, reply) => sendSerialized(reply, big));
  app.get('/small', (_request, reply) => sendSerialized(reply, small));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    for (const [path, json] of [
      ['/big', big],
      ['/small', small],
    ] as const) {
      const res = await fetch(`${base}${path}`);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get('content-length')).toBe(String(json.length));
      expect(body.equals(json.bytes())).toBe(true);
    }
  } finally {
    await app.close();
  }
});
