/**
 * The rule for what a host's change is called (`report`, `up`, `down`,
 * `deleted`), from what was last announced about it to what holds now.
 * Pure, so it is tested without timers or sockets; the fleet monitor names
 * its changes with it, and the live hub names what it sends with it when it
 * folds several changes of one host into one event.
 */

/** What a listener knows about one host. */
export interface HostMark {
  /** When the server last received a report from this host, ms. */
  receivedAt: number;
  /** Whether the host counted as up. */
  up: boolean;
}

/** The name of a change. */
export type ChangeKind = 'report' | 'up' | 'down' | 'deleted';

/**
 * The change from `before` to `after` (undefined: the host is unknown, or
 * gone), or undefined when nothing a listener cares about changed.
 */
export function changeOf(before: HostMark | undefined, after: HostMark | undefined): ChangeKind | undefined {
  if (!after) return before ? 'deleted' : undefined;
  if (!before || after.receivedAt !== before.receivedAt) {
    // A new report. A host that was down comes back as `up`; one that is already past the threshold
    // (another process's report seen late) is `down`, said once.
    if (after.up) return before && !before.up ? 'up' : 'report';
    return !before || before.up ? 'down' : undefined;
  }
  if (before.up && !after.up) return 'down';
  // Only possible if the clock went backwards; say so rather than stay wrong.
  if (!before.up && after.up) return 'up';
  return undefined;
}
