/**
 * The overview's pure parts that make 1,000 hosts cheap: the fixed-height row
 * layout (which rows a scroll position shows) and the live patching of the
 * sorted list and the summary, each checked against the plain computation.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hostReport } from '../../bench/fleet.js';
import { normalizeReport, type HostStatus, type NormalizedReport } from '../../src/contract/index.js';
import { hostStatusEntry } from '../../src/server/host-status.js';
import {
  addToSummary,
  allLabels,
  DEFAULT_QUERY,
  groupHosts,
  selectHosts,
  summarize,
  type Query,
} from '../../web/src/lib/fleet-query.js';
import { layoutRows } from '../../web/src/lib/row-layout.js';
import { applyChange, nextLabels, nextSelection } from '../../web/src/lib/selection.js';

/** A status entry as /api/status would list it for simulated host i. */
function status(i: number, patch: Partial<HostStatus> = {}): HostStatus {
  const report = normalizeReport(hostReport(i)) as NormalizedReport;
  return {
    ...hostStatusEntry({ alias: report.server_alias, report, receivedAt: 1_700_000_000_000 + i, reportTime: 0 }, true),
    ...patch,
  };
}

/** A status entry's cpu part at `percent` busy. */
const cpu = (percent: number): HostStatus['cpu'] => ({
  percent,
  loadavg: { '1m': 0, '5m': 0, '15m': 0, one_min: 0, five_min: 0, fifteen_min: 0 },
});

const ROW = 70;
const GROUP = 34;

describe('row layout', () => {
  it('places rows at fixed heights and finds the ones on screen', () => {
    const hosts = Array.from({ length: 1000 }, (_, i) => status(i));
    const layout = layoutRows([{ name: '', hosts }], ROW, GROUP);
    expect(layout.count).toBe(1000);
    expect(layout.total).toBe(70_000);
    expect(layout.top(999)).toBe(69_930);
    expect(layout.between(0, 900)).toEqual([0, 13]); // 12 whole rows and part of the 13th
    expect(layout.between(700, 1400)).toEqual([10, 20]); // edges on row boundaries: no extra row either side
    expect(layout.between(69_900, 71_000)).toEqual([998, 1000]);
    expect(layout.between(-500, 0)).toEqual([0, 0]);
    const last = layout.item(999);
    expect(last.kind === 'host' && last.host.server_alias).toBe('host-00999');
    expect(layout.indexOf(`\u0000host-00500`)).toBe(500);
  });

  it('agrees with a row-by-row walk for any grouping and any span', () => {
    const hosts = Array.from({ length: 120 }, (_, i) => status(i));
    fc.assert(
      fc.property(
        fc.constantFrom('none', 'group', 'label') as fc.Arbitrary<Query['groupBy']>,
        fc.integer({ min: -200, max: 12_000 }),
        fc.integer({ min: 1, max: 3000 }),
        (by, from, height) => {
          const sections = groupHosts(hosts, by);
          const layout = layoutRows(sections, ROW, GROUP);
          // The plain walk: every item with its top and height.
          const walk: { key: string; top: number; h: number }[] = [];
          let y = 0;
          for (const s of sections) {
            if (s.name !== '') {
              walk.push({ key: `g\u0000${s.name}`, top: y, h: GROUP });
              y += GROUP;
            }
            for (const h of s.hosts) {
              walk.push({ key: `${s.name}\u0000${h.server_alias}`, top: y, h: ROW });
              y += ROW;
            }
          }
          expect(layout.total).toBe(y);
          walk.forEach((w, i) => {
            expect(layout.top(i)).toBe(w.top);
            expect(layout.item(i).key).toBe(w.key);
          });
          const to = from + height;
          const want = walk
            .map((w, i) => [w, i] as const)
            .filter(([w]) => w.top < to && w.top + w.h > from)
            .map(([, i]) => i);
          const [start, end] = layout.between(from, to);
          expect(Array.from({ length: end - start }, (_, k) => start + k)).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('live patching', () => {
  const queries: Query[] = [
    DEFAULT_QUERY,
    { ...DEFAULT_QUERY, sort: 'cpu', desc: true },
    { ...DEFAULT_QUERY, sort: 'gpu', desc: false, text: 'host-000' },
    { ...DEFAULT_QUERY, sort: 'status', desc: true, status: 'up', label: 'gpu' },
    { ...DEFAULT_QUERY, sort: 'status', desc: false, text: 'python' },
  ];

  it('patches the sorted, filtered list, the summary and the labels exactly as a full recomputation would', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...queries),
        fc.array(
          fc.record({
            host: fc.integer({ min: 0, max: 59 }),
            op: fc.constantFrom('cpu', 'down', 'remove', 'add', 'relabel'),
            cpu: fc.integer({ min: 0, max: 100 }),
            labels: fc.subarray(['gpu', 'cpu', 'ml', 'new']),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        (query, ops) => {
          let hosts = new Map(Array.from({ length: 40 }, (_, i) => [`host-${String(i).padStart(5, '0')}`, status(i)]));
          let sel = nextSelection(null, hosts, query, null);
          let summary = summarize(hosts.values());
          let labels = nextLabels(null, hosts, null);
          for (const op of ops) {
            const alias = `host-${String(op.host).padStart(5, '0')}`;
            const before = hosts.get(alias);
            const after =
              op.op === 'remove'
                ? undefined
                : op.op === 'down' && before
                  ? { ...before, status: 'down' as const }
                  : op.op === 'relabel'
                    ? { ...(before ?? status(op.host)), labels: op.labels }
                    : { ...(before ?? status(op.host)), cpu: cpu(op.cpu) };
            const base = hosts;
            hosts = new Map(base);
            if (after) hosts.set(alias, after);
            else hosts.delete(alias);
            if (before) addToSummary(summary, before, -1);
            if (after) addToSummary(summary, after, 1);
            sel = nextSelection(sel, hosts, query, { base, alias });
            labels = nextLabels(labels, hosts, { base, alias });
            expect(labels.labels).toEqual(allLabels(hosts.values()));
            expect(sel.list.map((h) => h.server_alias)).toEqual(
              selectHosts(hosts.values(), query).map((h) => h.server_alias),
            );
          }
          summary = { ...summary };
          expect(summary).toEqual(summarize(hosts.values()));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('puts a changed host where its new sort value belongs', () => {
    const query: Query = { ...DEFAULT_QUERY, sort: 'cpu', desc: true };
    const list = selectHosts(
      [status(0, { cpu: cpu(90) }), status(1, { cpu: cpu(50) }), status(2, { cpu: cpu(10) })],
      query,
    );
    const hot = status(2, { cpu: cpu(99) });
    expect(applyChange(list, list[2], hot, query).map((h) => h.server_alias)).toEqual([
      'host-00002',
      'host-00000',
      'host-00001',
    ]);
    // A host that no longer passes the filter leaves the list.
    const upOnly: Query = { ...query, status: 'up' };
    expect(applyChange(list, list[0], { ...list[0]!, status: 'down' }, upOnly).map((h) => h.server_alias)).toEqual([
      'host-00001',
      'host-00002',
    ]);
  });
});
