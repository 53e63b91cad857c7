/** Every GPU in the fleet on one screen: who uses it, how much memory, how busy. Free ones stand out. */
import { useMemo, useState } from 'preact/hooks';
import { GpuMeters, GpuWorkers } from '../components/gpu-parts.js';
import type { FleetState } from '../lib/fleet-store.js';
import { mb } from '../lib/format.js';
import { gpuUsers, memPct } from '../lib/gpu.js';
import {
  gpuChoices,
  gpuQueryFromParams,
  gpuQueryToParams,
  selectGpus,
  type GpuQuery,
  type GpuShow,
  type GpuState,
} from '../lib/gpu-query.js';
import { isolate } from '../lib/bidi.js';
import { currentParams, hostPath, Link, useParamsInUrl } from '../lib/router.js';

/** A select of "any" and `choices`, agent text isolated. */
function Choice(props: { label: string; value: string; choices: string[]; onChange: (value: string) => void }) {
  return (
    <label>
      <span>{props.label}</span>
      <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">any</option>
        {props.choices.map((c) => (
          <option key={c} value={c}>
            {isolate(c)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function GpuView(props: { fleet: FleetState }) {
  const [query, setQuery] = useState<GpuQuery>(() => gpuQueryFromParams(currentParams()));
  useParamsInUrl(gpuQueryToParams(query));
  const set = (patch: Partial<GpuQuery>) => setQuery((q) => ({ ...q, ...patch }));
  const hosts = useMemo(() => [...props.fleet.hosts.values()], [props.fleet.hosts]);
  const choices = useMemo(() => gpuChoices(hosts), [hosts]);
  const cards = useMemo(() => selectGpus(hosts, query), [hosts, query]);
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
        <Choice label="User" value={query.user} choices={choices.users} onChange={(user) => set({ user })} />
        {(choices.containers.length > 0 || query.container !== '') && (
          <Choice
            label="Container"
            value={query.container}
            choices={choices.containers}
            onChange={(container) => set({ container })}
          />
        )}
        <Choice label="Model" value={query.model} choices={choices.models} onChange={(model) => set({ model })} />
        <Choice label="Group" value={query.group} choices={choices.groups} onChange={(group) => set({ group })} />
        <label>
          <span>Show</span>
          <select
            aria-label="Show"
            value={query.show}
            onChange={(e) => set({ show: e.currentTarget.value as GpuShow })}
          >
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

const BADGE: Record<GpuState, string> = { free: 'up', idle: 'idle-alloc', busy: 'busy', unknown: 'down' };
const LABEL: Record<GpuState, string> = { free: 'free', idle: 'idle', busy: 'busy', unknown: 'host down' };
