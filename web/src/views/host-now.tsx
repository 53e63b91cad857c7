/** The host page's tiles of current values: CPU, memory, each disk, each GPU. */
import { Bar } from '../components/bar.js';
import { GpuMeters, GpuWorkers } from '../components/gpu-parts.js';
import type { HostStatus } from '../lib/api.js';
import { gb, mb } from '../lib/format.js';
import { isolate } from '../lib/bidi.js';
import { isGpuIdleAllocation } from '../../../src/domain/gpu.js';

function GpuTile(props: { gpu: HostStatus['gpus'][number] }) {
  const g = props.gpu;
  const idle = isGpuIdleAllocation(g);
  return (
    <div class={`tile gpu-tile${idle ? ' idle' : ''}`} data-gpu={g.index}>
      <h3 class="gpu-title">
        <span>GPU {g.index}</span>
        {idle && (
          <span class="badge idle-alloc" title="held by processes but under 5% busy">
            idle allocation
          </span>
        )}
      </h3>
      <div class="sub gpu-name">
        <bdi>{g.name}</bdi>
      </div>
      <GpuMeters gpu={g} name={`GPU ${g.index}`} />
      <div class="sub gpu-figures">
        {mb(g.memory_used_mb)} / {mb(g.memory_total_mb)}
        {g.temperature_celsius !== null ? ` · ${g.temperature_celsius} °C` : ''}
        {g.power_draw_watts !== null ? ` · ${g.power_draw_watts} W` : ''}
      </div>
      <GpuWorkers gpu={g} class="gpu-procs" />
    </div>
  );
}

export function HostNow(props: { host: HostStatus }) {
  const { host } = props;
  return (
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
          <h3 class="disk-title">
            Disk <bdi>{d.mountpoint}</bdi>
          </h3>
          <Bar value={d.percent} label={`Disk ${isolate(d.mountpoint)}`} />
          <div class="sub">
            {gb(d.free_gb)} free of {gb(d.total_gb)}
          </div>
        </div>
      ))}
      {host.gpus.map((g) => (
        <GpuTile key={`gpu${g.index}`} gpu={g} />
      ))}
    </div>
  );
}
