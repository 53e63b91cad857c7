import type { FastifyReply, FastifyRequest } from 'fastify';
import { keyFromAuthorization, keysMatch } from './api-key.js';
import { HttpError } from './error-handler.js';

/** An onRequest hook (it runs before the body is even read) that answers 401 unless the request carries the API key (Bearer or bare). */
export function requireApiKey(expected: string) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const presented = keyFromAuthorization(request.headers.authorization);
    if (presented === undefined || !keysMatch(presented, expected)) {
      throw new HttpError(401, 'Invalid or missing API key');
    }
  };
}
