/** Filtering, sorting, grouping and the summary of the overview: pure functions over status entries. */
import type { HostStatus } from './api.js';
import { isGpuFree } from '../../../src/domain/gpu.js';
import { matchHost, needleOf } from './host-match.js';

/** Sortable columns of the overview. */
export type SortKey = 'alias' | 'status' | 'cpu' | 'mem' | 'disk' | 'gpu' | 'users' | 'uptime' | 'group';
export type GroupBy = 'none' | 'group' | 'label';
export type StatusFilter = 'all' | 'up' | 'down';

/** The overview's controls. */
export interface Query {
  text: string;
  status: StatusFilter;
  label: string;
  groupBy: GroupBy;
  sort: SortKey;
  desc: boolean;
}

export const DEFAULT_QUERY: Query = { text: '', status: 'all', label: '', groupBy: 'none', sort: 'alias', desc: false };

const SORT_KEYS: readonly SortKey[] = ['alias', 'status', 'cpu', 'mem', 'disk', 'gpu', 'users', 'uptime', 'group'];

/** The direction a column sorts in on its first click: names A to Z and down hosts first, numbers biggest first. */
export function defaultDesc(key: SortKey): boolean {
  return key !== 'alias' && key !== 'group' && key !== 'status';
}

/** The query as URL parameters (q, status, label, by, sort, dir), leaving out what is the default. */
export function queryToParams(q: Query): Record<string, string> {
  return {
    q: q.text,
    status: q.status === 'all' ? '' : q.status,
    label: q.label,
    by: q.groupBy === 'none' ? '' : q.groupBy,
    sort: q.sort === 'alias' ? '' : q.sort,
    dir: q.desc === defaultDesc(q.sort) ? '' : q.desc ? 'desc' : 'asc',
  };
}

/** The query a URL names; a value it does not know falls back to the default, so an old bookmark still opens. */
export function queryFromParams(p: URLSearchParams): Query {
  const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
    allowed.includes(value as T) ? (value as T) : fallback;
  const sort = pick(p.get('sort'), SORT_KEYS, 'alias');
  const dir = p.get('dir');
  return {
    text: p.get('q') ?? '',
    status: pick(p.get('status'), ['all', 'up', 'down'] as const, 'all'),
    label: p.get('label') ?? '',
    groupBy: pick(p.get('by'), ['none', 'group', 'label'] as const, 'none'),
    sort,
    desc: dir === 'desc' ? true : dir === 'asc' ? false : defaultDesc(sort),
  };
}

export function busiestDisk(h: HostStatus) {
  let best = h.disks[0];
  for (const d of h.disks) if (best && d.percent > best.percent) best = d;
  return best;
}

function avg(values: number[]): number {
  return values.length === 0 ? -1 : values.reduce((a, b) => a + b, 0) / values.length;
}

const sortValue: Record<SortKey, (h: HostStatus) => number | string> = {
  alias: (h) => h.server_alias.toLowerCase(),
  // Down hosts first, the longest silent first (ISO times of one server compare as text); then up hosts.
  status: (h) => (h.status === 'down' ? `0${h.received_at}` : '1'),
  cpu: (h) => h.cpu.percent,
  mem: (h) => h.memory.percent,
  disk: (h) => busiestDisk(h)?.percent ?? -1,
  gpu: (h) => avg(h.gpus.map((g) => g.utilization_pct)),
  users: (h) => h.users.length,
  uptime: (h) => h.uptime_seconds,
  group: (h) => h.group.toLowerCase(),
};

/**
 * One collator for every alias tie-break: much faster than String#localeCompare
 * per call. Made on first use: making one costs tens of ms, and sorting by
 * alias (the default) never needs it.
 */
let collator: Intl.Collator | undefined;
const byAlias = (a: HostStatus, b: HostStatus) =>
  (collator ??= new Intl.Collator()).compare(a.server_alias, b.server_alias);

/** Whether a host passes the overview's filters. */
export function passesFilters(h: HostStatus, q: Query): boolean {
  if (q.status === 'up' && h.status !== 'ok') return false;
  if (q.status === 'down' && h.status !== 'down') return false;
  if (q.label !== '' && !h.labels.includes(q.label)) return false;
  return matchHost(h, needleOf(q.text)) !== null;
}

/** The overview's order for a query: a total order (ties fall back to the unique alias). */
export function hostComparator(q: Query): (a: HostStatus, b: HostStatus) => number {
  const key = sortValue[q.sort];
  const dir = q.desc ? -1 : 1;
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    if (x < y) return -dir;
    if (x > y) return dir;
    return byAlias(a, b);
  };
}

/** Hosts that pass the filters, sorted; ties keep alias order. */
export function selectHosts(hosts: Iterable<HostStatus>, q: Query): HostStatus[] {
  const out: HostStatus[] = [];
  for (const h of hosts) if (passesFilters(h, q)) out.push(h);
  // Keys computed once per host, not once per comparison.
  const key = sortValue[q.sort];
  const dir = q.desc ? -1 : 1;
  const keyed = out.map((h) => ({ h, k: key(h) }));
  keyed.sort((a, b) => (a.k < b.k ? -dir : a.k > b.k ? dir : byAlias(a.h, b.h)));
  return keyed.map((x) => x.h);
}

/** Sections of the overview: one unnamed section, or one per group / label (a host may sit under several labels). */
export function groupHosts(hosts: HostStatus[], by: GroupBy): { name: string; hosts: HostStatus[] }[] {
  if (by === 'none') return [{ name: '', hosts }];
  const groups = new Map<string, HostStatus[]>();
  for (const h of hosts) {
    const keys = by === 'group' ? [h.group] : h.labels.length > 0 ? h.labels : ['(no label)'];
    for (const k of keys) {
      let list = groups.get(k);
      if (!list) groups.set(k, (list = []));
      list.push(h);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => ({ name, hosts: list }));
}

/** Every label in the fleet, sorted, for the label filter. */
export function allLabels(hosts: Iterable<HostStatus>): string[] {
  const set = new Set<string>();
  for (const h of hosts) for (const l of h.labels) set.add(l);
  return [...set].sort();
}

/** The fleet summary line's numbers. */
export interface Summary {
  up: number;
  down: number;
  gpusBusy: number;
  gpusFree: number;
  gpuMemUsedMb: number;
  gpuMemTotalMb: number;
}

export function summarize(hosts: Iterable<HostStatus>): Summary {
  const s: Summary = { up: 0, down: 0, gpusBusy: 0, gpusFree: 0, gpuMemUsedMb: 0, gpuMemTotalMb: 0 };
  for (const h of hosts) addToSummary(s, h, 1);
  return s;
}

/** Adds (sign 1) or takes away (sign -1) one host's share, so a live update costs one host, not the fleet. */
export function addToSummary(s: Summary, h: HostStatus, sign: 1 | -1): void {
  if (h.status === 'ok') s.up += sign;
  else s.down += sign;
  // A down host's GPUs are neither busy nor free: nobody knows.
  if (h.status !== 'ok') return;
  for (const g of h.gpus) {
    if (isGpuFree(g)) s.gpusFree += sign;
    else s.gpusBusy += sign;
    s.gpuMemUsedMb += sign * g.memory_used_mb;
    s.gpuMemTotalMb += sign * g.memory_total_mb;
  }
}
