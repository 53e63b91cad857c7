/**
 * Agent-supplied text can hold bidirectional controls (a right-to-left
 * override reverses everything after it). In markup it goes in a <bdi>; in
 * plain-text places (title, aria-label, <option>, chart legends) it goes
 * between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, which do the same.
 */
export const isolate = (text: string): string => `\u2068${text}\u2069`;
