/**
 * Authentication, declared per scope rather than checked by each route:
 * the routes that need the API key are registered inside apiKeyScope, whose
 * one onRequest hook checks it for all of them (as fastify/demo's autohooks
 * do per folder). A later read-auth is one more such hook, on /api.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ErrorResponse } from '../contract/index.js';
import { keyChecker, keyFromAuthorization } from './api-key.js';
import type { App } from './context.js';
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

/**
 * A plugin whose routes (added by `routes`) all require the API key; their
 * OpenAPI entries say so (bearer security, the 401 answer), so the docs
 * follow the hook rather than each route repeating it.
 */
export function apiKeyScope(apiKey: string, routes: (scope: App) => void): (scope: App) => Promise<void> {
  return async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.schema = {
        ...route.schema,
        security: [{ bearer: [] }],
        response: { 401: ErrorResponse, ...(route.schema?.response as object | undefined) },
      };
    });
    scope.addHook('onRequest', requireApiKey(apiKey));
    routes(scope);
  };
}
