/**
 * Which series a history read will use, so that a store can decode only
 * those from its compacted chunks (a host has ~90 series, an answer wants a
 * few). Store.readHistory has no parameter for it, so the hint travels out
 * of band: set around one call, and honoured only by the read whose
 * arguments match, during that call's synchronous part. A store that reads
 * later, or ignores it, simply decodes every series: the hint can cost
 * speed, never correctness.
 */

interface Hint { alias: string; tier: string; from: number; to: number; wanted: (key: string) => boolean }

let current: Hint | undefined;

/** Calls `read` (a Store.readHistory call with these arguments) with the hint in place. */
export function readWithHint<T>(hint: Hint, read: () => T): T {
  current = hint;
  try {
    return read();
  } finally {
    current = undefined;
  }
}

/** The series filter for a read with these arguments, if its caller gave one. */
export function hintFor(alias: string, tier: string, from: number, to: number): ((key: string) => boolean) | undefined {
  const h = current;
  return h && h.alias === alias && h.tier === tier && h.from === from && h.to === to ? h.wanted : undefined;
}
