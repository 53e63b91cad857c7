/** Every GPU in the fleet on one screen: who uses it, how much memory, how busy. Free ones stand out. */
import { useMemo, useState } from 'preact/hooks';
import { GpuMeters, GpuWorkers } from '../components/gpu-parts.js';
import type { FleetState } from '../lib/fleet-store.js';
import { mb } from '../lib/format.js';
import { isGpuFree, isGpuIdleAllocation } from '../../../src/domain/gpu.js';
import { isolate } from '../lib/bidi.js';
import { hostPath, Link } from '../lib/router.js';

export function GpuView(props: { fleet: FleetState }) {
  const [model, setModel] = useState('');
  const [group, setGroup] = useState('');
  const [show, setShow] = useState<'all' | 'free' | 'idle'>('all');
  const hosts = useMemo(() => [...props.fleet.hosts.values()], [props.fleet.hosts]);
  const models = useMemo(() => [...new Set(hosts.flatMap((h) => h.gpus.map((g) => g.name)))].sort(), [hosts]);
  const groups = useMemo(() => [...new Set(hosts.map((h) => h.group))].sort(), [hosts]);
  const cards = useMemo(
    () =>
      hosts
        .filter((h) => group === '' || h.group === group)
        .sort((a, b) => a.server_alias.localeCompare(b.server_alias))
        .flatMap((h) => h.gpus.map((g) => ({ host: h, gpu: g, state: gpuState(h.status === 'ok', g) })))
        .filter((c) => (model === '' || c.gpu.name === model) && (show === 'all' || c.state === show)),
    [hosts, model, group, show],
  );
  const free = cards.filter((c) => c.state === 'free').length;
  const idle = cards.filter((c) => c.state === 'idle').length;

  if (!props.fleet.loaded)
    return (
      <p class="empty" role="status">
        Loading the fleet…
      </p>
    );
  return (
    <section aria-labelledby="gpus-title">
      <h1 id="gpus-title">GPUs</h1>
      <p class="summary">
        <span>
          <b>{cards.length}</b> GPUs shown
        </span>
        <span>
          <b data-testid="gpu-view-free">{free}</b> free
        </span>
        <span>
          <b data-testid="gpu-view-idle">{idle}</b> idle allocations
        </span>
      </p>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>Model</span>
          <select aria-label="Model" value={model} onChange={(e) => setModel(e.currentTarget.value)}>
            <option value="">any</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {isolate(m)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Group</span>
          <select aria-label="Group" value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
            <option value="">any</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {isolate(g)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Show</span>
          <select aria-label="Show" value={show} onChange={(e) => setShow(e.currentTarget.value as typeof show)}>
            <option value="all">all</option>
            <option value="free">only free</option>
            <option value="idle">only idle allocations</option>
          </select>
        </label>
      </form>
      {cards.length === 0 ? (
        <p class="empty">No GPU matches.</p>
      ) : (
        <ul class="gpu-grid" data-testid="gpu-grid">
          {cards.map(({ host, gpu, state }) => {
            return (
              <li
                key={`${host.server_alias}/${gpu.index}`}
                class={`gpu-card ${state}`}
                data-gpu={`${host.server_alias}/${gpu.index}`}
              >
                <div class="gpu-head">
                  <Link to={hostPath(host.server_alias)} class="gpu-host">
                    <bdi title={isolate(host.server_alias)}>{host.server_alias}</bdi>
                  </Link>
                  <span class="muted gpu-index">· GPU {gpu.index}</span>
                  <span
                    class={`badge ${BADGE[state]}`}
                    title={state === 'idle' ? 'held by processes but under 5% busy' : undefined}
                  >
                    {LABEL[state]}
                  </span>
                </div>
                <div class="sub">
                  <bdi>{gpu.name}</bdi>
                </div>
                <GpuMeters gpu={gpu} />
                <div class="sub">
                  {mb(gpu.memory_used_mb)} / {mb(gpu.memory_total_mb)}
                </div>
                <GpuWorkers gpu={gpu} class="gpu-users" />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

type GpuState = 'free' | 'idle' | 'busy' | 'unknown';
const BADGE: Record<GpuState, string> = { free: 'up', idle: 'idle-alloc', busy: 'busy', unknown: 'down' };
const LABEL: Record<GpuState, string> = { free: 'free', idle: 'idle', busy: 'busy', unknown: 'host down' };

function gpuState(hostUp: boolean, gpu: Parameters<typeof isGpuFree>[0]): GpuState {
  if (!hostUp) return 'unknown';
  if (isGpuFree(gpu)) return 'free';
  return isGpuIdleAllocation(gpu) ? 'idle' : 'busy';
}
