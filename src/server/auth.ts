import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { keyChecker, keyFromAuthorization } from './api-key.js';
import { HttpError } from './error-handler.js';

/**
 * An onRequest hook (it runs before the body is even read) that answers 401
 * unless the request carries the API key (Bearer or bare). Callback style,
 * not async: it runs on every report, and a promise per request is waste.
 * Every request pays the constant-time check.
 */
export function requireApiKey(expected: string) {
  const matches = keyChecker(expected);
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const presented = keyFromAuthorization(request.headers.authorization);
    if (presented === undefined || !matches(presented)) {
      done(new HttpError(401, 'Invalid or missing API key'));
      return;
    }
    done();
  };
}
