/** Up, or down with how long the host has been silent (ticking). */
import type { HostStatus } from '../lib/api.js';
import { useNow } from '../lib/clock.js';
import { duration } from '../lib/format.js';

function Silent(props: { since: string }) {
  const now = useNow();
  return <>silent {duration((now - Date.parse(props.since)) / 1000)}</>;
}

export function StatusBadge(props: { host: Pick<HostStatus, 'status' | 'received_at'> }) {
  if (props.host.status === 'ok') return <span class="badge up">up</span>;
  return (
    <span class="badge down" data-testid="down-badge">
      down · <Silent since={props.host.received_at} />
    </span>
  );
}
