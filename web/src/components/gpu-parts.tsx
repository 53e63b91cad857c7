/**
 * The parts of a GPU that the host page's tiles and the GPUs view's cards
 * both show: the two bars with their legend, and who runs work on it.
 */
import type { HostStatus } from '../lib/api.js';
import { mb } from '../lib/format.js';
import { gpuWorkers, memPct } from '../lib/gpu.js';
import { Bar } from './bar.js';

type Gpu = HostStatus['gpus'][number];

/** Utilization and memory, each with a visible caption; busy is not an alarm, so neither bar turns red. */
export function GpuMeters(props: { gpu: Gpu; name?: string }) {
  const { gpu } = props;
  const prefix = props.name ? `${props.name} ` : '';
  return (
    <div class="gpu-meters">
      <Bar value={gpu.utilization_pct} label={`${prefix}utilization`} caption="Utilization" tone="busy" />
      <Bar
        value={memPct(gpu)}
        label={`${prefix}memory`}
        caption="Memory"
        tone="held"
        detail={`${mb(gpu.memory_used_mb)} of ${mb(gpu.memory_total_mb)}`}
      />
    </div>
  );
}

/** Each user with the container their process runs in, if any; "no processes" when none. */
export function GpuWorkers(props: { gpu: Gpu; class?: string }) {
  const workers = gpuWorkers(props.gpu);
  if (workers.length === 0)
    return (
      <div class={props.class}>
        <span class="muted">no processes</span>
      </div>
    );
  return (
    <ul class={`gpu-workers ${props.class ?? ''}`}>
      {workers.map((w) => (
        <li key={`${w.user}\u0000${w.container ?? ''}`}>
          <bdi>{w.user}</bdi>
          {w.container !== null && <ContainerTag name={w.container} />}
        </li>
      ))}
    </ul>
  );
}

/** A container's name beside a user, marked as a container for eyes and screen readers. */
export function ContainerTag(props: { name: string }) {
  return (
    <span class="ctr" title="container">
      <span class="sr-only">in container </span>
      <bdi>{props.name}</bdi>
    </span>
  );
}
