/**
 * The GPUs of one host in its overview row: two bars per GPU (utilization,
 * memory; the legend is in the column's header), the numbers, users and
 * containers in each tooltip. Past 8 GPUs the bars take two lines, and they
 * narrow rather than run out of the cell.
 */
import type { HostStatus } from '../lib/api.js';
import { mb } from '../lib/format.js';
import { isGpuFree } from '../../../src/domain/gpu.js';
import { gpuWorkers, memPct } from '../lib/gpu.js';
import { isolate } from '../lib/bidi.js';

/** Most GPUs on one line of bars. */
const PER_LINE = 8;

/** "alice, root in container carol-pytorch": who runs what on a GPU, agent text isolated. */
function ownersText(gpu: HostStatus['gpus'][number]): string {
  return gpuWorkers(gpu)
    .map((o) => (o.container ? `${isolate(o.user)} in container ${isolate(o.container)}` : isolate(o.user)))
    .join(', ');
}

/** One host's GPU bars. */
export function GpuCell(props: { host: HostStatus }) {
  const { gpus } = props.host;
  if (gpus.length === 0) return <span class="muted">none</span>;
  const columns = gpus.length <= PER_LINE ? gpus.length : Math.ceil(gpus.length / 2);
  return (
    <ul class="gpu-mini" aria-label={`${gpus.length} GPUs`} style={{ '--cols': columns }}>
      {gpus.map((g) => {
        const owners = ownersText(g);
        const tip = `GPU ${g.index} ${isolate(g.name)}: ${g.utilization_pct}% busy, ${mb(g.memory_used_mb)} of ${mb(g.memory_total_mb)}${owners ? `, ${owners}` : ''}`;
        return (
          // The two bars are the li's ::before and ::after: a third of the elements for 8-GPU boxes.
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
