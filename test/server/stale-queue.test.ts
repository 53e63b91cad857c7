import { describe, expect, it } from 'vitest';
import { StaleQueue } from '../../src/server/stale-queue.js';

describe('StaleQueue', () => {
  const always = () => true;

  it('takes entries in receive order, even those queued a little out of order', () => {
    const q = new StaleQueue();
    for (const [alias, at] of [
      ['a', 10],
      ['b', 30],
      ['c', 20],
      ['d', 40],
    ] as const)
      q.push(alias, at, 10, always);
    expect(q.peek()).toBe(10);
    expect(q.takeUntil(30).map((d) => d.alias)).toEqual(['a', 'c', 'b']);
    expect(q.peek()).toBe(40);
  });

  it('skips the head entries of hosts that have reported since', () => {
    const q = new StaleQueue();
    q.push('a', 1, 2, always);
    q.push('b', 2, 2, always);
    q.push('a', 3, 2, always);
    q.skipWhile((alias, at) => alias === 'a' && at === 1);
    expect(q.peek()).toBe(2);
  });

  it('holds about two entries per host however often they report', () => {
    const q = new StaleQueue();
    const latest = new Map<string, number>();
    for (let t = 0; t < 100_000; t++) {
      const alias = `h${t % 100}`;
      latest.set(alias, t);
      q.push(alias, t, 100, (a, at) => latest.get(a) === at);
    }
    expect(q.length).toBeLessThanOrEqual(2 * 100 + 16);
    expect(q.takeUntil(Infinity).filter((d) => latest.get(d.alias) === d.receivedAt)).toHaveLength(100);
  });
});
