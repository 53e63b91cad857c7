/**
 * A /api/status snapshot that was taken before an event's commit but arrives
 * after the event must not undo it: the race that made the dashboard lose a
 * host reporting for the first time right after a reconnect.
 */
import { describe, expect, it } from 'vitest';
import { normalizeReport, type HostStatus, type NormalizedReport } from '../../src/contract/index.js';
import { hostStatusEntry } from '../../src/server/host-status.js';
import { makeReport } from '../helpers/reports.js';
import { mergeSnapshot } from '../../web/src/lib/snapshot-merge.js';

function entry(alias: string, receivedAt: number, up = true): HostStatus {
  const report = normalizeReport(makeReport(alias)) as NormalizedReport;
  return hostStatusEntry({ alias, report, receivedAt, reportTime: 0 }, up);
}

function fleet(...hosts: HostStatus[]): Map<string, HostStatus> {
  return new Map(hosts.map((h) => [h.server_alias, h]));
}

const T = 1_700_000_000_000;
const none = () => false;
const only =
  (...aliases: string[]) =>
  (alias: string) =>
    aliases.includes(alias);

describe('mergeSnapshot', () => {
  it('keeps a host that an event added while an older snapshot was on its way', () => {
    const current = fleet(entry('a', T), entry('newcomer', T + 5));
    const { hosts, changed } = mergeSnapshot(current, [entry('a', T)], only('newcomer'));
    expect([...hosts.keys()].sort()).toEqual(['a', 'newcomer']);
    expect(changed).toBe(false);
  });

  it('does not bring back a host that an event deleted while the snapshot was on its way', () => {
    const current = fleet(entry('a', T));
    const { hosts } = mergeSnapshot(current, [entry('a', T), entry('gone', T)], only('gone'));
    expect([...hosts.keys()]).toEqual(['a']);
  });

  it('keeps a down event over an older snapshot that still says up, but takes a later report', () => {
    const down = entry('a', T, false);
    expect(mergeSnapshot(fleet(down), [entry('a', T, true)], only('a')).hosts.get('a')).toBe(down);
    const later = entry('a', T + 1000, true);
    expect(mergeSnapshot(fleet(down), [later], only('a')).hosts.get('a')).toBe(later);
  });

  it('takes the snapshot as the truth for hosts no event touched', () => {
    const kept = entry('a', T);
    const { hosts, changed } = mergeSnapshot(fleet(kept, entry('removed', T)), [entry('a', T), entry('b', T)], none);
    expect([...hosts.keys()]).toEqual(['a', 'b']);
    expect(hosts.get('a')).toBe(kept); // unchanged entries keep their object
    expect(changed).toBe(true);
    expect(mergeSnapshot(fleet(kept), [entry('a', T)], none).changed).toBe(false);
    // A down the stream missed while it was away comes from the snapshot.
    expect(mergeSnapshot(fleet(kept), [entry('a', T, false)], none).hosts.get('a')?.status).toBe('down');
  });
});
