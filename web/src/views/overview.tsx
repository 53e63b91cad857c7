/**
 * The fleet overview: every host as a row, with filters, grouping, sorting and
 * a summary line; the controls live in the URL (router.tsx). A live update patches the sorted list in place (selection.ts)
 * and the summary comes precomputed from the store, so an event costs one host.
 */
import { memo } from 'preact/compat';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FleetState } from '../lib/fleet-store.js';
import {
  defaultDesc,
  groupHosts,
  queryFromParams,
  queryToParams,
  type Query,
  type SortKey,
} from '../lib/fleet-query.js';
import { needleOf } from '../lib/host-match.js';
import { overviewRendered } from '../lib/perf.js';
import { currentParams, useParamsInUrl } from '../lib/router.js';
import { nextLabels, nextSelection, type LabelList, type Selection } from '../lib/selection.js';
import { FleetSummary } from './fleet-summary.js';
import { HostRows } from './host-rows.js';
import { OverviewControls } from './overview-controls.js';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'alias', label: 'Host' },
  { key: 'status', label: 'Status' },
  { key: 'cpu', label: 'CPU' },
  { key: 'mem', label: 'Memory' },
  { key: 'disk', label: 'Disk' },
  { key: 'gpu', label: 'GPUs' },
  { key: 'users', label: 'Users' },
  { key: 'uptime', label: 'Uptime' },
  { key: 'group', label: 'Group' },
];

/** What the two bars of each GPU in a row mean; the row's tooltips give the numbers. */
function GpuLegend() {
  return (
    <span class="gpu-legend" data-testid="gpu-legend" aria-hidden="true">
      <span>
        <i class="swatch util" />
        utilization
      </span>{' '}
      <span>
        <i class="swatch mem" />
        memory
      </span>
    </span>
  );
}

/** A column's header; its button fills the cell, so a click anywhere in it sorts. */
function SortHeader(props: { col: (typeof COLUMNS)[number]; query: Query; onSort: (k: SortKey) => void }) {
  const active = props.query.sort === props.col.key;
  const dir = active ? (props.query.desc ? 'descending' : 'ascending') : 'none';
  return (
    <th scope="col" role="columnheader" aria-sort={dir} class={`c-${props.col.key}`}>
      <button type="button" onClick={() => props.onSort(props.col.key)}>
        {props.col.label}
        <span aria-hidden="true" class="sort-mark">
          {active ? (props.query.desc ? ' ▼' : ' ▲') : ''}
        </span>
        {props.col.key === 'gpu' && <GpuLegend />}
      </button>
    </th>
  );
}

/** The header row; memoized with the controls, so a live update re-renders neither. */
const TableHead = memo(function TableHead(props: { query: Query; onSort: (k: SortKey) => void }) {
  return (
    <thead role="rowgroup">
      <tr role="row" aria-rowindex={1}>
        {COLUMNS.map((c) => (
          <SortHeader key={c.key} col={c} query={props.query} onSort={props.onSort} />
        ))}
      </tr>
    </thead>
  );
});
const Controls = memo(OverviewControls);

export function Overview(props: { fleet: FleetState }) {
  const { hosts, loaded, summary, delta } = props.fleet;
  const [query, setQuery] = useState<Query>(() => queryFromParams(currentParams()));
  useParamsInUrl(queryToParams(query));
  const selection = useRef<Selection | null>(null);
  selection.current = nextSelection(selection.current, hosts, query, delta);
  const selected = selection.current.list;
  const labelList = useRef<LabelList | null>(null);
  labelList.current = nextLabels(labelList.current, hosts, delta);
  const labels = labelList.current.labels;
  const sections = useMemo(() => groupHosts(selected, query.groupBy), [selected, query.groupBy]);
  const shown = selected.length;
  useLayoutEffect(() => overviewRendered(shown));

  const onSort = useCallback(
    (key: SortKey) => setQuery((q) => ({ ...q, sort: key, desc: q.sort === key ? !q.desc : defaultDesc(key) })),
    [],
  );
  const onChange = useCallback((patch: Partial<Query>) => setQuery((q) => ({ ...q, ...patch })), []);

  if (!loaded)
    return (
      <p class="empty" role="status">
        Loading the fleet…
      </p>
    );
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title" class="sr-only">
        Fleet overview
      </h1>
      <FleetSummary summary={summary} />
      <Controls query={query} labels={labels} onChange={onChange} />
      {hosts.size === 0 ? (
        <p class="empty">No host has reported yet. Start an agent with this server's URL and API key.</p>
      ) : (
        <table
          class="hosts"
          data-testid="hosts-table"
          role="table"
          aria-rowcount={shown + (query.groupBy === 'none' ? 0 : sections.length) + 1}
        >
          <caption class="sr-only">
            {shown} of {hosts.size} hosts
          </caption>
          <TableHead query={query} onSort={onSort} />
          <HostRows sections={sections} needle={needleOf(query.text)} />
        </table>
      )}
      {hosts.size > 0 && shown === 0 && <p class="empty">No host matches these filters.</p>}
    </section>
  );
}
