/** /ui/hosts/{alias}: one host's current state, its GPU processes, containers, users and history. */
import { lazy, Suspense } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import { Bar } from '../components/bar.js';
import { StatusBadge } from '../components/status-badge.js';
import { api, type Container } from '../lib/api.js';
import type { FleetState } from '../lib/fleet-store.js';
import { duration, gb, mb } from '../lib/format.js';
import { memPct } from '../lib/gpu.js';
import { isolate } from '../lib/bidi.js';
import { Link } from '../lib/router.js';

// The charts (uPlot) load with the first host page, not with the overview:
// the overview's first render does not wait for code it does not use.
const HistoryPanel = lazy(() => import('./history-panel.js').then((m) => ({ default: m.HistoryPanel })));
import { HostTables } from './host-tables.js';

export function HostPage(props: { alias: string; fleet: FleetState }) {
  const host = props.fleet.hosts.get(props.alias);
  const [containers, setContainers] = useState<Container[] | null>(null);
  const [containerError, setContainerError] = useState<string | null>(null);

  useEffect(() => {
    if (!host) return;
    const abort = new AbortController();
    api.containers(props.alias, abort.signal).then(
      (c) => {
        setContainers(c);
        setContainerError(null);
      },
      (e: Error) => {
        if (e.name !== 'AbortError') setContainerError(e.message);
      },
    );
    return () => abort.abort();
  }, [props.alias, host?.received_at]);

  if (!props.fleet.loaded)
    return (
      <p class="empty" role="status">
        Loading…
      </p>
    );
  if (!host) {
    return (
      <section>
        <h1>
          <bdi>{props.alias}</bdi>
        </h1>
        <p class="empty">
          This host is not known to the server (it may have been removed). <Link to="/">Back to the fleet</Link>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="host-title" class="host-page">
      <p class="crumbs">
        <Link to="/">Fleet</Link> / <bdi>{host.server_alias}</bdi>
      </p>
      <header class="host-head">
        <h1 id="host-title">
          <bdi>{host.server_alias}</bdi>
        </h1>
        <StatusBadge host={host} />
        <span class="sub">
          <bdi>{host.hostname}</bdi> · <bdi>{host.ip}</bdi> · <bdi>{host.os}</bdi> · group <bdi>{host.group}</bdi> · up{' '}
          {duration(host.uptime_seconds)}
          {host.agent_version !== null && (
            <>
              {' '}
              · agent <bdi>{host.agent_version}</bdi>
            </>
          )}
        </span>
        {host.labels.length > 0 && (
          <ul class="labels">
            {host.labels.map((l) => (
              <li key={l}>
                <bdi>{l}</bdi>
              </li>
            ))}
          </ul>
        )}
      </header>
      <div class="now-grid">
        <div class="tile">
          <h3>CPU</h3>
          <Bar value={host.cpu.percent} label="CPU" />
        </div>
        <div class="tile">
          <h3>Memory</h3>
          <Bar value={host.memory.percent} label="Memory" />
          <div class="sub">
            {gb(host.memory.used_gb)} / {gb(host.memory.total_gb)}
          </div>
        </div>
        {host.disks.map((d) => (
          <div class="tile" key={d.mountpoint}>
            <h3>
              Disk <bdi>{d.mountpoint}</bdi>
            </h3>
            <Bar value={d.percent} label={`Disk ${isolate(d.mountpoint)}`} />
            <div class="sub">
              {gb(d.free_gb)} free of {gb(d.total_gb)}
            </div>
          </div>
        ))}
        {host.gpus.map((g) => (
          <div class="tile" key={`gpu${g.index}`}>
            <h3>
              GPU {g.index}{' '}
              <span class="sub">
                <bdi>{g.name}</bdi>
              </span>
            </h3>
            <Bar value={g.utilization_pct} label={`GPU ${g.index} utilization`} />
            <Bar value={memPct(g)} label={`GPU ${g.index} memory`} />
            <div class="sub">
              {mb(g.memory_used_mb)} / {mb(g.memory_total_mb)}
              {g.temperature_celsius !== null ? ` · ${g.temperature_celsius} °C` : ''}
              {g.power_draw_watts !== null ? ` · ${g.power_draw_watts} W` : ''}
            </div>
          </div>
        ))}
      </div>
      <HostTables host={host} containers={containers} containerError={containerError} />
      <Suspense
        fallback={
          <p class="empty" role="status">
            Loading history…
          </p>
        }
      >
        <HistoryPanel alias={host.server_alias} receivedAt={host.received_at} />
      </Suspense>
    </section>
  );
}
