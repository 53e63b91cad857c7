import { describe, expect, it } from 'vitest';
import { inTurn } from '../../bench/load/poll-order.js';

describe('status polls in turn', () => {
  it('polls every server once a pass, and no server always right after the same one', () => {
    const servers = 3;
    const sequence = Array.from({ length: 10 }, (_, pass) => inTurn(servers, pass));
    for (const pass of sequence) expect([...pass].sort()).toEqual([0, 1, 2]);
    const flat = sequence.flat();
    for (let server = 0; server < servers; server++) {
      const before = new Set(flat.flatMap((s, i) => (s === server && i > 0 ? [flat[i - 1]] : [])));
      expect(before.size, `server ${server} follows ${[...before].join(', ')}`).toBeGreaterThan(1);
    }
  });
});
