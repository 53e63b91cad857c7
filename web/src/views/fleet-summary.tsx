/** "12 hosts: 11 up, 1 down · GPUs: 30 busy, 10 free · GPU memory in use: 410 / 960 GB" */
import { mb } from '../lib/format.js';
import type { Summary } from '../lib/fleet-query.js';

export function FleetSummary(props: { summary: Summary }) {
  const s = props.summary;
  return (
    <p class="summary" data-testid="fleet-summary" aria-live="polite">
      <span>
        <b data-testid="hosts-up">{s.up}</b> up
      </span>
      <span class={s.down > 0 ? 'down' : ''}>
        <b data-testid="hosts-down">{s.down}</b> down
      </span>
      <span>
        GPUs <b data-testid="gpus-busy">{s.gpusBusy}</b> busy, <b data-testid="gpus-free">{s.gpusFree}</b> free
      </span>
      <span>
        GPU memory in use <b data-testid="gpu-mem">{mb(s.gpuMemUsedMb)}</b> of {mb(s.gpuMemTotalMb)}
      </span>
    </p>
  );
}
