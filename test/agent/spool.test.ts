import { describe, it, expect, afterEach } from 'vitest';
import { readdirSync } from 'node:fs';
import { Spool } from '../../src/agent/spool.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('on-disk spool', () => {
  const dirs: { remove: () => void }[] = [];
  afterEach(() => {
    dirs.splice(0).forEach((d) => d.remove());
  });
  const spoolIn = (maxAgeMs: number, maxBytes: number) => {
    const d = tempDir('fw-spool-');
    dirs.push(d);
    return { spool: new Spool({ dir: `${d.path}/spool`, maxAgeMs, maxBytes }), dir: `${d.path}/spool` };
  };

  it('lists reports in the order they were added, even within one millisecond', async () => {
    const { spool } = spoolIn(3_600_000, 1e9);
    const now = Date.now();
    for (let i = 0; i < 5; i++) await spool.add(JSON.stringify({ n: i }), now);
    const entries = await spool.list();
    expect(await Promise.all(entries.map((e) => spool.read(e).then((b) => JSON.parse(b).n)))).toEqual([0, 1, 2, 3, 4]);
  });

  it('drops reports older than the age bound', async () => {
    const { spool } = spoolIn(60_000, 1e9);
    const now = Date.now();
    await spool.add('{"n":"old"}', now - 120_000);
    const dropped = await spool.add('{"n":"new"}', now);
    expect(dropped).toBe(1);
    const left = await spool.list();
    expect(await spool.read(left[0]!)).toBe('{"n":"new"}');
    expect(left).toHaveLength(1);
  });

  it('drops the oldest reports to stay under the size bound', async () => {
    const { spool, dir } = spoolIn(3_600_000, 250);
    const body = (n: number) => JSON.stringify({ n, pad: 'x'.repeat(80) });
    const now = Date.now();
    for (let i = 0; i < 5; i++) await spool.add(body(i), now + i);
    const left = await spool.list();
    expect(left.reduce((s, e) => s + e.size, 0)).toBeLessThanOrEqual(250);
    expect(await Promise.all(left.map((e) => spool.read(e).then((b) => JSON.parse(b).n)))).toEqual([3, 4]);
    // No temp files are left behind.
    expect(readdirSync(dir).every((f) => f.endsWith('.json') && !f.startsWith('.'))).toBe(true);
  });
});
