/**
 * One host in the overview table, placed at a fixed height by the windowed
 * body (host-rows.tsx). Memoized: a live update re-renders only the row that
 * changed.
 */
import { memo } from 'preact/compat';
import { Bar } from '../components/bar.js';
import { StatusBadge } from '../components/status-badge.js';
import type { HostStatus } from '../lib/api.js';
import { duration, gb, mb } from '../lib/format.js';
import { isGpuFree } from '../../../src/domain/gpu.js';
import { gpuUsers, memPct } from '../lib/gpu.js';
import { busiestDisk } from '../lib/fleet-query.js';
import { isolate } from '../lib/bidi.js';
import { hostPath, Link } from '../lib/router.js';

function GpuCell(props: { host: HostStatus }) {
  const { gpus } = props.host;
  if (gpus.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="gpu-mini" aria-label={`${gpus.length} GPUs`}>
      {gpus.map((g) => {
        const users = gpuUsers(g);
        const tip = `GPU ${g.index} ${isolate(g.name)}: ${g.utilization_pct}% busy, ${mb(g.memory_used_mb)} of ${mb(g.memory_total_mb)}${users.length ? `, ${users.map(isolate).join(', ')}` : ''}`;
        return (
          // The two columns are the li's ::before and ::after: a third of the elements for 8-GPU boxes.
          <li
            key={g.index}
            class={isGpuFree(g) ? 'free' : 'busy'}
            title={tip}
            role="img"
            aria-label={tip}
            style={{ '--util': `${Math.min(100, g.utilization_pct)}%`, '--mem': `${Math.min(100, memPct(g))}%` }}
          />
        );
      })}
    </ul>
  );
}

export const HostRow = memo(function HostRow(props: { host: HostStatus; rowKey: string; top: number; index: number }) {
  const h = props.host;
  const disk = busiestDisk(h);
  const users = [...new Set(h.users.map((u) => u.name))];
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
        <Link to={hostPath(h.server_alias)} class="alias">
          <bdi>{h.server_alias}</bdi>
        </Link>
        <div class="sub">
          <bdi>{h.hostname}</bdi> · <bdi>{h.ip}</bdi>
        </div>
        {h.labels.length > 0 && (
          <ul class="labels">
            {h.labels.map((l) => (
              <li key={l}>
                <bdi>{l}</bdi>
              </li>
            ))}
          </ul>
        )}
      </th>
      <td role="cell" class="c-status" data-label="Status">
        <StatusBadge host={h} />
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
      </td>
      <td role="cell" class="c-uptime" data-label="Uptime">
        {duration(h.uptime_seconds)}
      </td>
      <td role="cell" class="c-group" data-label="Group">
        <bdi>{h.group}</bdi>
      </td>
    </tr>
  );
});
