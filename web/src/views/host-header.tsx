/** The host page's head: name, status, how old its data is, what it is, and the Delete action. */
import { useState } from 'preact/hooks';
import { DeleteHostDialog } from '../components/delete-host-dialog.js';
import { StatusBadge } from '../components/status-badge.js';
import type { HostStatus } from '../lib/api.js';
import { useNow } from '../lib/clock.js';
import { dateTime, duration } from '../lib/format.js';
import { Link } from '../lib/router.js';

/** "last report 42s ago", ticking. */
function LastReport(props: { receivedAt: string }) {
  const now = useNow();
  return (
    <span class="last-report" data-testid="last-report">
      last report {duration((now - Date.parse(props.receivedAt)) / 1000)} ago
    </span>
  );
}

export function HostHeader(props: { host: HostStatus }) {
  const { host } = props;
  const [deleting, setDeleting] = useState(false);
  return (
    <>
      <p class="crumbs">
        <Link to="/">Fleet</Link> / <bdi>{host.server_alias}</bdi>
      </p>
      <header class="host-head">
        <h1 id="host-title">
          <bdi>{host.server_alias}</bdi>
        </h1>
        <StatusBadge host={host} />
        <LastReport receivedAt={host.received_at} />
        <span class="sub">
          <bdi>{host.hostname}</bdi> · <bdi>{host.ip}</bdi> · <bdi>{host.os}</bdi> · group <bdi>{host.group}</bdi> · up{' '}
          {duration(host.uptime_seconds)}
          {host.agent_version !== null && (
            <>
              {' '}
              · agent <bdi>{host.agent_version}</bdi>
            </>
          )}
        </span>
        {host.labels.length > 0 && (
          <ul class="labels">
            {host.labels.map((l) => (
              <li key={l}>
                <bdi>{l}</bdi>
              </li>
            ))}
          </ul>
        )}
        <button type="button" class="danger quiet" onClick={() => setDeleting(true)}>
          Delete host…
        </button>
      </header>
      {/* The server decides "down" (src/domain/host.ts); the page only says what that means for the numbers. */}
      {host.status === 'down' && (
        <p class="as-of" role="status" data-testid="as-of">
          Not live: these values are as of {dateTime(Date.parse(host.received_at))}.
        </p>
      )}
      <DeleteHostDialog alias={host.server_alias} open={deleting} onClose={() => setDeleting(false)} />
    </>
  );
}
