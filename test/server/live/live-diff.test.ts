import { describe, expect, it } from 'vitest';
import { diffFleet, inTurn, type HostMark, type LiveChange } from '../../../src/server/live/live-diff.js';

const snap = (entries: [string, number, boolean][]) => new Map<string, HostMark>(entries.map(([a, receivedAt, up]) => [a, { receivedAt, up }]));

describe('diffFleet', () => {
  it('reports nothing when nothing changed', () => {
    expect(diffFleet(snap([['a', 1, true]]), snap([['a', 1, true]]))).toEqual([]);
  });
  it('turns a new report into `report`, and a new report of a down host into `up`', () => {
    expect(diffFleet(snap([['a', 1, true], ['b', 1, false]]), snap([['a', 2, true], ['b', 3, true], ['c', 3, true]]))).toEqual([
      { kind: 'report', alias: 'a' }, { kind: 'up', alias: 'b' }, { kind: 'report', alias: 'c' },
    ]);
  });
  it('emits `down` once when a host crosses the threshold, with its last receive time', () => {
    expect(diffFleet(snap([['a', 5, true]]), snap([['a', 5, false]]))).toEqual([{ kind: 'down', alias: 'a', receivedAt: 5 }]);
    expect(diffFleet(snap([['a', 5, false]]), snap([['a', 5, false]]))).toEqual([]);
  });
  it('emits `deleted` for hosts that are gone', () => {
    expect(diffFleet(snap([['a', 1, true], ['b', 1, false]]), snap([['a', 1, true]]))).toEqual([{ kind: 'deleted', alias: 'b' }]);
  });
});

describe('inTurn', () => {
  const fleet = ['a', 'b', 'c', 'd'];
  const position = (alias: string) => fleet.indexOf(alias);
  const changes: LiveChange[] = [{ kind: 'report', alias: 'a' }, { kind: 'report', alias: 'c' }, { kind: 'report', alias: 'd' }, { kind: 'deleted', alias: 'x' }];
  const order = (from: number) => inTurn(changes, position, from, fleet.length).map((c) => c.alias);

  it('starts at the given fleet position and wraps around, hosts no longer in the fleet first', () => {
    expect(order(0)).toEqual(['x', 'a', 'c', 'd']);
    expect(order(2)).toEqual(['x', 'c', 'd', 'a']);
    expect(order(3)).toEqual(['x', 'd', 'a', 'c']);
  });
  it('wraps a position past the end of a fleet that shrank', () => {
    expect(order(6)).toEqual(['x', 'c', 'd', 'a']);
  });
});
