/** /ui/hosts/{alias}: one host's current state, its GPU processes, containers, users and history. */
import { lazy, Suspense } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import { api, type Container } from '../lib/api.js';
import type { FleetState } from '../lib/fleet-store.js';
import { Link } from '../lib/router.js';
import { HostHeader } from './host-header.js';
import { HostNow } from './host-now.js';
import { HostTables } from './host-tables.js';

// The charts (uPlot) load with the first host page, not with the overview:
// the overview's first render does not wait for code it does not use.
const HistoryPanel = lazy(() => import('./history-panel.js').then((m) => ({ default: m.HistoryPanel })));

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
  // A down host's numbers are its last report's: dimmed, and dated by the header.
  return (
    <section aria-labelledby="host-title" class={`host-page${host.status === 'down' ? ' down' : ''}`}>
      <HostHeader host={host} />
      <HostNow host={host} />
      <div class="host-tables">
        <HostTables host={host} containers={containers} containerError={containerError} />
      </div>
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
