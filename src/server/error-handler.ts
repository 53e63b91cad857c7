/**
 * The one error handler. Every error leaves in FastAPI's `{detail}` shape
 * that the original clients parse; a 5xx never leaks its message.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StorageFullError } from '../store/store.js';
import { logRefusedConnection, logRejectionNow, noteRejection, registerRejectionLog } from './rejection-log.js';
import { toIssues } from './validation-errors.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** The error and not-found handlers, and the one log line of each rejected request. */
export function registerErrorHandling(app: FastifyInstance): void {
  registerRejectionLog(app);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    noteRejection(request, { code: error.code, reason: error.message });
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({ detail: error.detail });
    }
    if (error instanceof StorageFullError) {
      logRejectionNow(request, 507, { err: error.cause ?? error, reason: 'storage full: report not stored' });
      // 507 is a 5xx, so agents keep the report in their spool and send it again later.
      return reply.code(507).header('retry-after', '60').send({
        detail:
          'Storage full: the server has no room to store this now. Nothing was stored; retry once space is freed.',
      });
    }
    if (error.validation) {
      return reply.code(422).send({ detail: toIssues(error.validation, error.validationContext ?? 'body') });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply
          .code(422)
          .send({ detail: [{ loc: ['body'], msg: `JSON decode error: ${error.message}`, type: 'json_invalid' }] });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(422).send({ detail: [{ loc: ['body'], msg: 'Field required', type: 'missing' }] });
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        // The rest of the body is read and discarded before the socket closes (unread-body.ts); it is never reused.
        return reply
          .code(413)
          .header('connection', 'close')
          .send({ detail: `Request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes` });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send({
          detail: `Unsupported content type ${JSON.stringify(request.headers['content-type'] ?? '')}; send application/json`,
        });
    }
    // JSON.parse on deeply nested or malformed input can throw SyntaxError/RangeError.
    if (error instanceof SyntaxError || error.name === 'SyntaxError') {
      return reply.code(422).send({ detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      logRejectionNow(request, 500, { err: error });
      return reply.code(500).send({ detail: 'Internal Server Error' });
    }
    return reply.code(status).send({ detail: error.message });
  });

  // FastAPI answers 405 when the path exists under another method; clients may rely on the difference.
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    const allowed = METHODS.filter((method) => app.findRoute({ method, url }) !== null);
    // A route of this very method that answered "not found" (a missing static file) is a 404, not a 405.
    const sameMethod = allowed.some((m) => m === request.method || (m === 'GET' && request.method === 'HEAD'));
    if (allowed.length === 0 || sameMethod) return reply.code(404).send({ detail: 'Not Found' });
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
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) {
      done();
      return;
    }
    reply.header('connection', 'close').header('retry-after', '5');
    done(new HttpError(503, 'Server is shutting down; retry shortly'));
  });
}

/**
 * Errors Fastify's router raises before any route runs (a malformed
 * percent-encoding, a path parameter over maxParamLength), in `{detail}`
 * form like every other error. Passed as Fastify's `frameworkErrors`.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : (error.statusCode ?? 400);
  const detail =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The URL holds a malformed percent-encoding'
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'A path parameter is too long'
        : (STATUS_CODES[status] ?? 'Bad Request');
  // These answers skip the hooks, so their line is written here.
  logRejectionNow(request, status, { code: error.code, reason: detail });
  void reply.code(status).send({ detail });
}

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request
 * (headers too large, a request that took too long, malformed HTTP), in
 * `{detail}` form, then closes the socket. Passed as Fastify's `clientErrorHandler`.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'The request took too long to arrive']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'The request headers are too large']
        : [400, 'Malformed HTTP request'];
  logRefusedConnection(this.log, status, { code: error.code, reason: detail });
  const body = JSON.stringify({ detail });
  if (!socket.writable) {
    socket.destroy(error);
    return;
  }
  // end(), not destroy(): the answer is flushed before the socket closes.
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
