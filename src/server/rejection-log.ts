/**
 * One log line per rejected request, with the status code the client got.
 * It is written once the answer has gone (onResponse), so whatever answered
 * (the error handler, the not-found handler, a route's own 4xx) is logged
 * alike, with the reason its answerer noted. A 5xx the error handler logged
 * together with its error is not logged again.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';

/** Why a request was rejected, as its answerer knows it. */
export interface RejectionNote {
  /** Fastify's or Node's error code, when an error caused it. */
  code?: string | undefined;
  /** What was wrong, for the operator. */
  reason?: string | undefined;
}

/** Rejected requests whose line is already written (or must not be written twice). */
const logged = new WeakSet<FastifyRequest>();
const notes = new WeakMap<FastifyRequest, RejectionNote>();

/** Records why `request` is rejected, for the line written when its answer has gone. */
export function noteRejection(request: FastifyRequest, note: RejectionNote): void {
  notes.set(request, note);
}

/** Writes `request`'s line now (for answers that skip the hooks, or that carry an error); the hook then skips it. */
export function logRejectionNow(
  request: FastifyRequest,
  statusCode: number,
  note: RejectionNote & { err?: unknown } = {},
): void {
  logged.add(request);
  writeLine(request.log, { url: request.url, statusCode, ...notes.get(request), ...note });
}

/** The reason for a list of validation issues, as one line. */
export function issuesReason(issues: readonly { loc: readonly (string | number)[]; msg: string }[]): string {
  return issues.map((issue) => `${issue.loc.join('.')}: ${issue.msg}`).join('; ');
}

/**
 * Logs each request answered with a 4xx or 5xx once. Callback style: the hook
 * runs on every request, reports included, and a promise each is waste.
 */
export function registerRejectionLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode >= 400 && !logged.has(request)) {
      writeLine(request.log, { url: request.url, statusCode: reply.statusCode, ...notes.get(request) });
    }
    done();
  });
}

/** A rejection that never became a request (Node's HTTP parser refused it): same line, without a URL. */
export function logRefusedConnection(log: FastifyBaseLogger, statusCode: number, note: RejectionNote): void {
  writeLine(log, { statusCode, ...note });
}

function writeLine(
  log: FastifyBaseLogger,
  fields: { url?: string; statusCode: number; code?: string | undefined; reason?: string | undefined; err?: unknown },
): void {
  if (fields.err !== undefined) log.error(fields, 'request failed');
  else if (fields.statusCode >= 500) log.warn(fields, 'request rejected');
  else log.info(fields, 'request rejected');
}
