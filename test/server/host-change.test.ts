import { describe, expect, it } from 'vitest';
import { changeOf } from '../../src/server/host-change.js';

const mark = (receivedAt: number, up: boolean) => ({ receivedAt, up });

describe('changeOf', () => {
  it('reports nothing when nothing changed', () => {
    expect(changeOf(mark(1, true), mark(1, true))).toBeUndefined();
    expect(changeOf(mark(5, false), mark(5, false))).toBeUndefined();
    expect(changeOf(undefined, undefined)).toBeUndefined();
  });
  it('turns a new report into `report`, a new report of a down host into `up`, and a first one into `report`', () => {
    expect(changeOf(mark(1, true), mark(2, true))).toBe('report');
    expect(changeOf(mark(1, false), mark(3, true))).toBe('up');
    expect(changeOf(undefined, mark(3, true))).toBe('report');
  });
  it('says `down` once when a host crosses the threshold, or is first seen past it', () => {
    expect(changeOf(mark(5, true), mark(5, false))).toBe('down');
    expect(changeOf(undefined, mark(5, false))).toBe('down');
    expect(changeOf(mark(5, true), mark(6, false))).toBe('down');
    expect(changeOf(mark(5, false), mark(6, false))).toBeUndefined();
  });
  it('says `deleted` for a host that is gone, and `up` if the clock went back', () => {
    expect(changeOf(mark(1, false), undefined)).toBe('deleted');
    expect(changeOf(mark(1, false), mark(1, true))).toBe('up');
  });
});
