/** Layout and routes: overview at /ui/, GPUs at /ui/gpus, a host at /ui/hosts/{alias}. */
import { useEffect } from 'preact/hooks';
import { ConnectionBanner } from './components/connection-banner.js';
import { useFleet } from './lib/fleet-store.js';
import { Link, usePath } from './lib/router.js';
import { GpuView } from './views/gpu-view.js';
import { HostPage } from './views/host-page.js';
import { Overview } from './views/overview.js';

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function App() {
  const fleet = useFleet();
  const path = usePath();
  const host = /^\/hosts\/(.+)$/.exec(path);
  const page = host ? 'host' : path.startsWith('/gpus') ? 'gpus' : 'overview';

  useEffect(() => {
    document.title = host ? `${decode(host[1]!)} · Fleetwatch` : page === 'gpus' ? 'GPUs · Fleetwatch' : 'Fleetwatch';
  }, [path]);

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link to="/" class="brand">
          Fleetwatch
        </Link>
        <nav aria-label="Views">
          <Link to="/" keepOptions aria-current={page === 'overview' ? 'page' : undefined}>
            Fleet
          </Link>
          <Link to="/gpus" keepOptions aria-current={page === 'gpus' ? 'page' : undefined}>
            GPUs
          </Link>
        </nav>
        <span class={`live-dot ${fleet.connection}`} data-testid="connection" data-state={fleet.connection}>
          {fleet.connection === 'live' ? 'live' : fleet.connection === 'unreachable' ? 'offline' : 'connecting'}
        </span>
      </header>
      <ConnectionBanner fleet={fleet} />
      <main id="main" class={fleet.connection === 'unreachable' ? 'stale' : ''} tabIndex={-1}>
        {host ? (
          <HostPage key={host[1]} alias={decode(host[1]!)} fleet={fleet} />
        ) : page === 'gpus' ? (
          <GpuView fleet={fleet} />
        ) : (
          <Overview fleet={fleet} />
        )}
      </main>
    </>
  );
}
