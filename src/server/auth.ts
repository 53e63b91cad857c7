import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { keyChecker, keyFromAuthorization } from './api-key.js';
import { HttpError } from './error-handler.js';

/** Authorization headers remembered as carrying the key: an agent sends the same one every time. */
const MAX_REMEMBERED = 8;

/**
 * An onRequest hook (it runs before the body is even read) that answers 401
 * unless the request carries the API key (Bearer or bare). Callback style,
 * not async: it runs on every report, and a promise per request is waste.
 *
 * Headers that passed the constant-time check are remembered, sparing a
 * SHA-256 per report. Looking one up leaks nothing of the key: a Set hashes
 * the whole header and compares contents only on a hash match, and only
 * headers that carried the key are ever in it.
 */
export function requireApiKey(expected: string) {
  const matches = keyChecker(expected);
  const accepted = new Set<string>();
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const header = request.headers.authorization;
    if (header !== undefined && accepted.has(header)) {
      done();
      return;
    }
    const presented = keyFromAuthorization(header);
    if (presented === undefined || !matches(presented)) {
      done(new HttpError(401, 'Invalid or missing API key'));
      return;
    }
    if (accepted.size < MAX_REMEMBERED) accepted.add(header!);
    done();
  };
}
