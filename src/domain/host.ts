/**
 * When a host counts as down: its last report was received (by the server's
 * clock, not the agent's) longer ago than the stale threshold. The status
 * entries, the live events and, later, alerts all decide it here.
 */

/** True when a report received at `receivedAtMs` is recent enough, at `nowMs`, for its host to count as up. */
export function isHostUp(receivedAtMs: number, nowMs: number, staleMs: number): boolean {
  return nowMs - receivedAtMs <= staleMs;
}

/** The first instant (ms) at which a host whose last report was received at `receivedAtMs` counts as down. */
export function hostDownAt(receivedAtMs: number, staleMs: number): number {
  return receivedAtMs + staleMs + 1;
}
