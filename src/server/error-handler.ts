/**
 * The one error handler. Every error leaves in FastAPI's `{detail}` shape
 * that the original clients parse; a 5xx never leaks its message.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { toIssues } from './validation-errors.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export class HttpError extends Error {
  constructor(readonly statusCode: number, readonly detail: string) {
    super(detail);
  }
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    request.log.info({ url: request.url, code: error.code, status: error.statusCode, reason: error.message }, 'request rejected');
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({ detail: error.detail });
    }
    if (error.validation) {
      return reply.code(422).send({ detail: toIssues(error.validation, error.validationContext ?? 'body') });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.code(422).send({ detail: [{ loc: ['body'], msg: `JSON decode error: ${error.message}`, type: 'json_invalid' }] });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(422).send({ detail: [{ loc: ['body'], msg: 'Field required', type: 'missing' }] });
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        // The rest of the body is read and discarded before the socket closes (unread-body.ts); it is never reused.
        return reply.code(413).header('connection', 'close').send({ detail: `Request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes` });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send({ detail: `Unsupported content type ${JSON.stringify(request.headers['content-type'] ?? '')}; send application/json` });
    }
    // JSON.parse on deeply nested or malformed input can throw SyntaxError/RangeError.
    if (error instanceof SyntaxError || error.name === 'SyntaxError') {
      return reply.code(422).send({ detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ detail: 'Internal Server Error' });
    }
    return reply.code(status).send({ detail: error.message });
  });

  // FastAPI answers 405 when the path exists under another method; clients may rely on the difference.
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    const allowed = METHODS.filter((method) => app.findRoute({ method, url }) !== null);
    if (allowed.length === 0) return reply.code(404).send({ detail: 'Not Found' });
    return reply.code(405).header('allow', allowed.join(', ')).send({ detail: 'Method Not Allowed' });
  });
}

/**
 * While the server drains on shutdown, requests still arriving on open
 * keep-alive connections get a 503 the agent retries later, and the
 * connection is closed so the drain can finish.
 */
export function registerDrain(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => { closing = true; });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) {
      done();
      return;
    }
    reply.header('connection', 'close').header('retry-after', '5');
    done(new HttpError(503, 'Server is shutting down; retry shortly'));
  });
}
