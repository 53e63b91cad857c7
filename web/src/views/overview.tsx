/** The fleet overview: every host as a row, with filters, grouping, sorting and a summary line. */
import { useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { FleetState } from '../lib/fleet-store.js';
import { allLabels, DEFAULT_QUERY, groupHosts, selectHosts, type Query, type SortKey } from '../lib/fleet-query.js';
import { overviewRendered } from '../lib/perf.js';
import { FleetSummary } from './fleet-summary.js';
import { HostRow } from './host-row.js';
import { OverviewControls } from './overview-controls.js';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'alias', label: 'Host' }, { key: 'status', label: 'Status' }, { key: 'cpu', label: 'CPU' },
  { key: 'mem', label: 'Memory' }, { key: 'disk', label: 'Disk' }, { key: 'gpu', label: 'GPUs' },
  { key: 'users', label: 'Users' }, { key: 'uptime', label: 'Uptime' }, { key: 'group', label: 'Group' },
];

function SortHeader(props: { col: (typeof COLUMNS)[number]; query: Query; onSort: (k: SortKey) => void }) {
  const active = props.query.sort === props.col.key;
  const dir = active ? (props.query.desc ? 'descending' : 'ascending') : 'none';
  return (
    <th scope="col" role="columnheader" aria-sort={dir} class={`c-${props.col.key}`}>
      <button type="button" onClick={() => props.onSort(props.col.key)}>
        {props.col.label}<span aria-hidden="true" class="sort-mark">{active ? (props.query.desc ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );
}

export function Overview(props: { fleet: FleetState }) {
  const { hosts, loaded } = props.fleet;
  const [query, setQuery] = useState<Query>(DEFAULT_QUERY);
  const list = useMemo(() => [...hosts.values()], [hosts]);
  const labels = useMemo(() => allLabels(list), [list]);
  const sections = useMemo(() => groupHosts(selectHosts(list, query), query.groupBy), [list, query]);
  const shown = sections.reduce((n, s) => n + s.hosts.length, 0);
  useLayoutEffect(() => overviewRendered(shown));

  const onSort = (key: SortKey) =>
    setQuery((q) => ({ ...q, sort: key, desc: q.sort === key ? !q.desc : key !== 'alias' && key !== 'group' }));

  if (!loaded) return <p class="empty" role="status">Loading the fleet…</p>;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title" class="sr-only">Fleet overview</h1>
      <FleetSummary hosts={list} />
      <OverviewControls query={query} labels={labels} onChange={(patch) => setQuery((q) => ({ ...q, ...patch }))} />
      {list.length === 0 ? (
        <p class="empty">No host has reported yet. Start an agent with this server's URL and API key.</p>
      ) : (
        <table class="hosts" data-testid="hosts-table" role="table" aria-rowcount={shown + 1}>
          <caption class="sr-only">{shown} of {list.length} hosts</caption>
          <thead role="rowgroup"><tr role="row">{COLUMNS.map((c) => <SortHeader key={c.key} col={c} query={query} onSort={onSort} />)}</tr></thead>
          {sections.map((s) => (
            <tbody key={s.name} role="rowgroup">
              {s.name !== '' && (
                <tr class="group-row" role="row"><th colSpan={COLUMNS.length} scope="rowgroup" role="rowheader">{s.name} <span class="muted">({s.hosts.length})</span></th></tr>
              )}
              {s.hosts.map((h) => <HostRow key={h.server_alias} host={h} />)}
            </tbody>
          ))}
        </table>
      )}
      {list.length > 0 && shown === 0 && <p class="empty">No host matches these filters.</p>}
    </section>
  );
}
