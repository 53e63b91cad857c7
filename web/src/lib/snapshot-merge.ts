/**
 * How a /api/status snapshot joins the fleet the dashboard already holds.
 *
 * A snapshot and the live events travel on different connections, so an
 * event can arrive before a snapshot that was taken before that event's
 * commit. Taking the snapshot as the whole truth would then drop a host that
 * just reported for the first time, or bring back one just deleted, and no
 * later event would put it right. So a host that an event changed while the
 * snapshot was on its way keeps what the event said; every other host is as
 * the snapshot says (the snapshot alone removes hosts deleted while the
 * stream was down).
 */
import type { HostStatus } from './api.js';

/**
 * Keeps whichever of two entries was received later, so a snapshot never
 * undoes a newer event; an unchanged entry keeps its object, so its row is
 * not re-rendered.
 */
export function newer(a: HostStatus | undefined, b: HostStatus): HostStatus {
  if (!a) return b;
  if (a.received_at === b.received_at && a.status === b.status) return a;
  return Date.parse(a.received_at) > Date.parse(b.received_at) ? a : b;
}

/** The merged fleet, and whether it differs from `current` (an unchanged fleet keeps its map). */
export interface Merged {
  hosts: Map<string, HostStatus>;
  changed: boolean;
}

/**
 * Joins `snapshot` (in the server's order) to `current`. `changedByEvent`
 * says whether an event changed (or deleted) the host since the snapshot was
 * asked for; such a host keeps its current state, present or absent,
 * unless the snapshot holds a later report of it.
 */
export function mergeSnapshot(
  current: Map<string, HostStatus>,
  snapshot: readonly HostStatus[],
  changedByEvent: (alias: string) => boolean,
): Merged {
  const hosts = new Map<string, HostStatus>();
  let changed = false;
  for (const h of snapshot) {
    const old = current.get(h.server_alias);
    let kept: HostStatus;
    if (changedByEvent(h.server_alias)) {
      if (!old) continue; // deleted after the snapshot was taken
      // Only a later report in the snapshot beats the event (a 'down' keeps its report's time).
      kept = Date.parse(h.received_at) > Date.parse(old.received_at) ? h : old;
    } else {
      kept = newer(old, h);
    }
    if (kept !== old) changed = true;
    hosts.set(h.server_alias, kept);
  }
  for (const [alias, host] of current) {
    if (hosts.has(alias)) continue;
    if (changedByEvent(alias))
      hosts.set(alias, host); // first reported after the snapshot was taken
    else changed = true; // gone from the server
  }
  return { hosts, changed };
}
