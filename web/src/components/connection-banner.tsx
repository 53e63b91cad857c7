/** Says plainly, and once, when the dashboard is not live, and how old what it shows is. */
import type { FleetState } from '../lib/fleet-store.js';
import { clockTime } from '../lib/format.js';

/** Why the data is not live: no answer at all (where it tried), or the answer the server gave. */
function unreachable(error: string | null): string {
  return error === null
    ? `Cannot reach the Fleetwatch server at ${location.host}.`
    : `The Fleetwatch server did not answer: ${error}.`;
}

export function ConnectionBanner(props: { fleet: FleetState }) {
  const { connection, lastContact, loaded, error } = props.fleet;
  if (connection === 'live' || connection === 'connecting') return null;
  const since = lastContact ? ` The data below was last received at ${clockTime(lastContact)}.` : '';
  const text =
    connection === 'unreachable'
      ? `${unreachable(error)} Retrying.${loaded ? since : ' No data to show.'}`
      : `Live updates were interrupted; reconnecting.${since}`;
  return (
    <div class={`banner ${connection}`} role="alert" data-testid="connection-banner">
      {text}
    </div>
  );
}
