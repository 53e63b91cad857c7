/**
 * Versioning of the agent↔server protocol. A report names the protocol its
 * agent speaks in `protocol_version` (absent: the original agent, version 1).
 * Additions within a version are optional fields; a new version means an
 * incompatible change, which an older server must refuse rather than
 * misread.
 */
import type { ContractIssue } from './normalize.js';

/** Bumped only for incompatible changes; additions are optional fields. */
export const PROTOCOL_VERSION = 1;

/** The `type` of the 422 item refusing a report of a newer protocol, so an agent can tell that refusal apart. */
export const PROTOCOL_TOO_NEW = 'protocol_version_unsupported';

/**
 * The refusal of a report whose protocol is newer than this server's, or
 * undefined when this server can read it. Meant to run before schema
 * validation: a newer protocol may carry fields this schema does not know,
 * and the agent should hear why, not which field.
 */
export function protocolIssue(body: unknown): ContractIssue | undefined {
  const version =
    typeof body === 'object' && body !== null ? (body as { protocol_version?: unknown }).protocol_version : undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version <= PROTOCOL_VERSION) return undefined;
  return {
    loc: ['body', 'protocol_version'],
    msg: `protocol_version ${version} is newer than this server understands (${PROTOCOL_VERSION}); upgrade the server`,
    type: PROTOCOL_TOO_NEW,
  };
}
