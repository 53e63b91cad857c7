import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { keyFromAuthorization, keysMatch } from './api-key.js';
import { HttpError } from './error-handler.js';

/**
 * An onRequest hook (it runs before the body is even read) that answers 401
 * unless the request carries the API key (Bearer or bare). Callback style,
 * not async: it runs on every report, and a promise per request is waste.
 */
export function requireApiKey(expected: string) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const presented = keyFromAuthorization(request.headers.authorization);
    if (presented === undefined || !keysMatch(presented, expected)) {
      done(new HttpError(401, 'Invalid or missing API key'));
      return;
    }
    done();
  };
}
