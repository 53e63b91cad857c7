/**
 * Turns two snapshots of the fleet into the live events between them. Pure,
 * so the rules (when a change is `report`, `up`, `down` or `deleted`) are
 * tested without timers or sockets.
 */

/** What the diff needs to know about one host. */
export interface HostMark {
  /** When the server last received a report from this host, ms. */
  receivedAt: number;
  /** Whether the host counted as up when the snapshot was taken. */
  up: boolean;
}

/** One change between snapshots; the hub turns it into an SSE event. */
export type LiveChange =
  | { kind: 'report' | 'up'; alias: string }
  | { kind: 'down'; alias: string; receivedAt: number }
  | { kind: 'deleted'; alias: string };

/** Changes from `before` to `after`, in the order of `after` then deletions. */
export function diffFleet(before: ReadonlyMap<string, HostMark>, after: ReadonlyMap<string, HostMark>): LiveChange[] {
  const changes: LiveChange[] = [];
  for (const [alias, now] of after) {
    const was = before.get(alias);
    if (!was || now.receivedAt !== was.receivedAt) {
      // A new report. A host that was down (or is new after having been seen down) comes back as `up`.
      if (now.up) changes.push({ kind: was && !was.up ? 'up' : 'report', alias });
      else if (!was || was.up) changes.push({ kind: 'down', alias, receivedAt: now.receivedAt });
    } else if (was.up && !now.up) {
      changes.push({ kind: 'down', alias, receivedAt: now.receivedAt });
    } else if (!was.up && now.up) {
      // Only possible if the clock went backwards; say so rather than stay wrong.
      changes.push({ kind: 'up', alias });
    }
  }
  for (const alias of before.keys()) {
    if (!after.has(alias)) changes.push({ kind: 'deleted', alias });
  }
  return changes;
}

/**
 * `changes` in fleet order, starting at position `from` and wrapping around,
 * so that when a check cannot send every change, the next one starts where
 * it stopped and every host gets its turn. `position` gives a host's place
 * among the fleet's `size` hosts, -1 for one no longer in it (those go first).
 */
export function inTurn(changes: LiveChange[], position: (alias: string) => number, from: number, size: number): LiveChange[] {
  const key = (c: LiveChange): number => {
    const at = position(c.alias);
    return at < 0 ? -1 : (((at - from) % size) + size) % size;
  };
  return [...changes].sort((a, b) => key(a) - key(b));
}
