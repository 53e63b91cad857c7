/**
 * The order in which one dashboard polls several servers in turn: forwards,
 * then backwards, so that no server always comes right after the same one
 * (see pollStatus in load-process.ts).
 */

/** Between two GETs in turn: time for the server just polled to finish what its GET left behind (its GC). */
export const IN_TURN_GAP_MS = 25;

/** The indexes of `servers` servers in the order of pass `pass` (0-based). */
export function inTurn(servers: number, pass: number): number[] {
  const forwards = Array.from({ length: servers }, (_, j) => j);
  return pass % 2 === 0 ? forwards : forwards.reverse();
}
