/** Says plainly when the dashboard is not live, and how old what it shows is. */
import type { FleetState } from '../lib/fleet-store.js';
import { clockTime } from '../lib/format.js';

export function ConnectionBanner(props: { fleet: FleetState }) {
  const { connection, lastContact, loaded, error } = props.fleet;
  if (connection === 'live' || (connection === 'connecting' && !error)) return null;
  const since = lastContact ? ` The data below was last received at ${clockTime(lastContact)}.` : '';
  const text =
    connection === 'unreachable'
      ? `Cannot reach the Fleetwatch server${error ? ` (${error})` : ''}. Retrying.${loaded ? since : ' No data to show.'}`
      : `Live updates were interrupted; reconnecting.${since}`;
  return (
    <div class={`banner ${connection}`} role="alert" data-testid="connection-banner">
      {text}
    </div>
  );
}
