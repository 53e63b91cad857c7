import { parseAgentTime } from '../contract/index.js';

/** How far ahead of the server clock an agent timestamp may place a report. */
export const MAX_FUTURE_SKEW_MS = 60_000;

/**
 * Places a report in time from the agent's timestamp (read as
 * src/contract/agent-time.ts says). Anything else falls back to the receive
 * time; a clock running ahead is clamped so it cannot write into the future.
 */
export function reportTime(agentTimestamp: string, receivedAt: number): number {
  const parsed = parseAgentTime(agentTimestamp);
  if (parsed === undefined) return receivedAt;
  return Math.min(parsed, receivedAt + MAX_FUTURE_SKEW_MS);
}
