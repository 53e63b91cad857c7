/**
 * Keeps the overview's filtered, sorted host list current as single hosts
 * change, in O(log n) comparisons plus one array copy instead of a filter and
 * sort of the whole fleet per live event. The result is exactly what
 * `selectHosts` would return, because the order is total (ties fall back to
 * the unique alias).
 */
import type { HostStatus } from './api.js';
import { allLabels, hostComparator, passesFilters, selectHosts, type Query } from './fleet-query.js';

/** A selection and what it was computed from. */
export interface Selection {
  hosts: Map<string, HostStatus>;
  query: Query;
  list: HostStatus[];
}

/** One host's change between two fleet maps: before and after are undefined for an added / removed host. */
export interface HostDelta {
  base: Map<string, HostStatus>;
  alias: string;
}

/** The list with `before` taken out and `after` put in its sorted place, when it passes the filters. */
export function applyChange(
  list: HostStatus[],
  before: HostStatus | undefined,
  after: HostStatus | undefined,
  q: Query,
): HostStatus[] {
  const out = list.slice();
  if (before) {
    const at = out.indexOf(before);
    if (at >= 0) out.splice(at, 1);
  }
  if (after && passesFilters(after, q)) {
    const cmp = hostComparator(q);
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(out[mid]!, after) < 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, after);
  }
  return out;
}

/**
 * The selection for `hosts` and `query`: reused when nothing changed, patched
 * when `hosts` differs from the previous map by the one host in `delta`,
 * recomputed otherwise.
 */
export function nextSelection(
  prev: Selection | null,
  hosts: Map<string, HostStatus>,
  query: Query,
  delta: HostDelta | null,
): Selection {
  if (prev && prev.query === query) {
    if (prev.hosts === hosts) return prev;
    if (delta && delta.base === prev.hosts) {
      const before = prev.hosts.get(delta.alias);
      const after = hosts.get(delta.alias);
      if (before === after) return { hosts, query, list: prev.list };
      return { hosts, query, list: applyChange(prev.list, before, after, query) };
    }
  }
  return { hosts, query, list: selectHosts(hosts.values(), query) };
}

/** The label filter's choices and the fleet they were computed from. */
export interface LabelList {
  hosts: Map<string, HostStatus>;
  labels: string[];
}

/** Every label in the fleet, recomputed only when a change can add or remove one. */
export function nextLabels(prev: LabelList | null, hosts: Map<string, HostStatus>, delta: HostDelta | null): LabelList {
  if (prev && prev.hosts === hosts) return prev;
  if (prev && delta && delta.base === prev.hosts) {
    const before = prev.hosts.get(delta.alias)?.labels ?? [];
    const after = hosts.get(delta.alias)?.labels ?? [];
    const same = before.length === after.length && before.every((l, i) => l === after[i]);
    if (same || (after.every((l) => prev.labels.includes(l)) && before.every((l) => after.includes(l)))) {
      return { hosts, labels: prev.labels };
    }
  }
  return { hosts, labels: allLabels(hosts.values()) };
}
