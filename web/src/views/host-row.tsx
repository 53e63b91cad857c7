/**
 * One host in the overview table, placed at a fixed height by the windowed
 * body (host-rows.tsx). Memoized: a live update re-renders only the row that
 * changed. Everything in it must fit that height: long text is cut at a line
 * or with an ellipsis, with the whole of it in a title.
 */
import { memo } from 'preact/compat';
import { Bar } from '../components/bar.js';
import { StatusBadge } from '../components/status-badge.js';
import type { HostStatus } from '../lib/api.js';
import { useNow } from '../lib/clock.js';
import { clockTime, duration, gb } from '../lib/format.js';
import { busiestDisk } from '../lib/fleet-query.js';
import { excerpt, matchHost, SHOWN_IN_ROW, type HostMatch } from '../lib/host-match.js';
import { isolate } from '../lib/bidi.js';
import { hostPath, Link } from '../lib/router.js';
import { GpuCell } from './gpu-cell.js';

/** "last report 12s ago", ticking; a down host's badge already counts its silence, so it gets the time instead. */
function ReportAge(props: { host: HostStatus }) {
  const now = useNow();
  const at = Date.parse(props.host.received_at);
  return (
    <div class="sub age" data-testid="report-age">
      {props.host.status === 'down'
        ? `last report at ${clockTime(at)}`
        : `last report ${duration((now - at) / 1000)} ago`}
    </div>
  );
}

/** The host's labels on one line: each cut with an ellipsis, and those that do not fit left out whole. */
function Labels(props: { labels: string[] }) {
  return (
    <ul class="labels" title={props.labels.map(isolate).join(', ')}>
      {props.labels.map((l) => (
        <li key={l} title={isolate(l)}>
          <bdi>{l}</bdi>
        </li>
      ))}
    </ul>
  );
}

/** What the filter matched in a host, when the row does not show it already. */
function hintFor(h: HostStatus, needle: string): HostMatch | null {
  const match = needle === '' ? null : matchHost(h, needle);
  return match && !SHOWN_IN_ROW.has(match.field) ? match : null;
}

/** Why the filter lists this host ("GPU user: carol"); it takes the labels' line. */
function MatchHint(props: { match: HostMatch; needle: string }) {
  const { field, value } = props.match;
  return (
    <div class="match-hint" data-testid="match-hint" title={`${field}: ${isolate(value)}`}>
      {field}: <bdi>{excerpt(value, props.needle)}</bdi>
    </div>
  );
}

export const HostRow = memo(function HostRow(props: {
  host: HostStatus;
  rowKey: string;
  top: number;
  index: number;
  needle: string;
}) {
  const h = props.host;
  const disk = busiestDisk(h);
  const users = [...new Set(h.users.map((u) => u.name))];
  const hint = hintFor(h, props.needle);
  return (
    <tr
      class={h.status === 'down' ? 'host down' : 'host'}
      data-alias={h.server_alias}
      data-key={props.rowKey}
      role="row"
      aria-rowindex={props.index}
      style={{ top: `${props.top}px` }}
    >
      <th scope="row" class="c-host" role="rowheader">
        <Link to={hostPath(h.server_alias)} class="alias" title={isolate(h.server_alias)}>
          <bdi>{h.server_alias}</bdi>
        </Link>
        <div class="sub">
          <bdi>{h.hostname}</bdi> · <bdi>{h.ip}</bdi>
        </div>
        {hint ? <MatchHint match={hint} needle={props.needle} /> : h.labels.length > 0 && <Labels labels={h.labels} />}
      </th>
      <td role="cell" class="c-status" data-label="Status">
        <StatusBadge host={h} />
        <ReportAge host={h} />
      </td>
      <td role="cell" class="c-cpu" data-label="CPU">
        <Bar value={h.cpu.percent} label="CPU" />
        <div class="sub">load {h.cpu.loadavg['1m'].toFixed(2)}</div>
      </td>
      <td role="cell" class="c-mem" data-label="Memory">
        <Bar value={h.memory.percent} label="Memory" detail={`${gb(h.memory.used_gb)} of ${gb(h.memory.total_gb)}`} />
        <div class="sub">
          {gb(h.memory.used_gb)} / {gb(h.memory.total_gb)}
        </div>
      </td>
      <td role="cell" class="c-disk" data-label="Disk">
        {disk ? (
          <>
            <Bar value={disk.percent} label={`Disk ${isolate(disk.mountpoint)}`} />
            <div class="sub">
              <bdi>{disk.mountpoint}</bdi>
            </div>
          </>
        ) : (
          <span class="muted">–</span>
        )}
      </td>
      <td role="cell" class="c-gpu" data-label="GPUs">
        <GpuCell host={h} />
      </td>
      <td
        role="cell"
        class="c-users"
        data-label="Users"
        title={users.length ? users.map(isolate).join(', ') : undefined}
      >
        <div class="clamp">
          {users.length ? (
            users.map((u, i) => (
              <>
                {i > 0 && ', '}
                <bdi key={u}>{u}</bdi>
              </>
            ))
          ) : (
            <span class="muted">nobody</span>
          )}
        </div>
      </td>
      <td role="cell" class="c-uptime" data-label="Uptime">
        {duration(h.uptime_seconds)}
      </td>
      <td role="cell" class="c-group" data-label="Group" title={isolate(h.group)}>
        <div class="clamp">
          <bdi>{h.group}</bdi>
        </div>
      </td>
    </tr>
  );
});
