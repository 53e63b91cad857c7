/** How far ahead of the server clock an agent timestamp may place a report. */
export const MAX_FUTURE_SKEW_MS = 60_000;

/**
 * Places a report in time from the agent's timestamp, which may be ISO 8601,
 * the original agent's "2025-11-06 09:30:00" (read as UTC), or garbage.
 * Garbage falls back to the receive time; a clock running ahead is clamped so
 * it cannot write into the future.
 */
export function reportTime(agentTimestamp: string, receivedAt: number): number {
  const parsed = parseAgentTime(agentTimestamp);
  if (parsed === undefined) return receivedAt;
  return Math.min(parsed, receivedAt + MAX_FUTURE_SKEW_MS);
}

function parseAgentTime(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  // "YYYY-MM-DD HH:MM[:SS]" without a zone: the original agent's `date` output, taken as UTC.
  const naive = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed);
  const ms = Date.parse(naive ? `${trimmed.replace(' ', 'T')}Z` : trimmed);
  return Number.isFinite(ms) ? ms : undefined;
}
