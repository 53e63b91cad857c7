/** Every GPU in the fleet on one screen: who uses it, how much memory, how busy. Free ones stand out. */
import { useMemo, useState } from 'preact/hooks';
import { Bar } from '../components/bar.js';
import type { FleetState } from '../lib/fleet-store.js';
import { mb } from '../lib/format.js';
import { gpuUsers, isGpuFree, memPct } from '../lib/gpu.js';
import { hostPath, Link } from '../lib/router.js';

export function GpuView(props: { fleet: FleetState }) {
  const [model, setModel] = useState('');
  const [group, setGroup] = useState('');
  const [onlyFree, setOnlyFree] = useState(false);
  const hosts = useMemo(() => [...props.fleet.hosts.values()], [props.fleet.hosts]);
  const models = useMemo(() => [...new Set(hosts.flatMap((h) => h.gpus.map((g) => g.name)))].sort(), [hosts]);
  const groups = useMemo(() => [...new Set(hosts.map((h) => h.group))].sort(), [hosts]);
  const cards = useMemo(() => hosts
    .filter((h) => group === '' || h.group === group)
    .sort((a, b) => a.server_alias.localeCompare(b.server_alias))
    .flatMap((h) => h.gpus.map((g) => ({ host: h, gpu: g, free: h.status === 'ok' && isGpuFree(g) })))
    .filter((c) => (model === '' || c.gpu.name === model) && (!onlyFree || c.free)), [hosts, model, group, onlyFree]);
  const free = cards.filter((c) => c.free).length;

  if (!props.fleet.loaded) return <p class="empty" role="status">Loading the fleet…</p>;
  return (
    <section aria-labelledby="gpus-title">
      <h1 id="gpus-title">GPUs</h1>
      <p class="summary"><span><b>{cards.length}</b> GPUs shown</span><span><b data-testid="gpu-view-free">{free}</b> free</span></p>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <label><span>Model</span>
          <select aria-label="Model" value={model} onChange={(e) => setModel(e.currentTarget.value)}>
            <option value="">any</option>{models.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
        <label><span>Group</span>
          <select aria-label="Group" value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
            <option value="">any</option>{groups.map((g) => <option key={g} value={g}>{g}</option>)}
          </select>
        </label>
        <label class="check"><input type="checkbox" checked={onlyFree} onChange={(e) => setOnlyFree(e.currentTarget.checked)} /> <span>only free</span></label>
      </form>
      {cards.length === 0 ? <p class="empty">No GPU matches.</p> : (
        <ul class="gpu-grid" data-testid="gpu-grid">
          {cards.map(({ host, gpu, free: isFree }) => {
            const users = gpuUsers(gpu);
            const state = host.status !== 'ok' ? 'unknown' : isFree ? 'free' : 'busy';
            return (
              <li key={`${host.server_alias}/${gpu.index}`} class={`gpu-card ${state}`} data-gpu={`${host.server_alias}/${gpu.index}`}>
                <div class="gpu-head">
                  <Link to={hostPath(host.server_alias)}>{host.server_alias}</Link>
                  <span class="muted"> · GPU {gpu.index}</span>
                  <span class={`badge ${state === 'free' ? 'up' : state === 'unknown' ? 'down' : 'busy'}`}>{state === 'unknown' ? 'host down' : state}</span>
                </div>
                <div class="sub">{gpu.name}</div>
                <Bar value={gpu.utilization_pct} label="Utilization" />
                <Bar value={memPct(gpu)} label="Memory" detail={`${mb(gpu.memory_used_mb)} of ${mb(gpu.memory_total_mb)}`} />
                <div class="sub">{mb(gpu.memory_used_mb)} / {mb(gpu.memory_total_mb)}</div>
                <div class="gpu-users">{users.length ? users.join(', ') : <span class="muted">no processes</span>}</div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
