/**
 * Answers given before the request's body has arrived: a 413 on a declared
 * Content-Length over BODY_LIMIT (or part-way through a chunked body), a 415,
 * a 401. Fastify marks a 413 Connection: close, and Node closes the socket as
 * soon as the answer is written; with the rest of the body still arriving,
 * the kernel then resets the connection, and a client still sending often
 * loses the answer in the reset (the agent's own client and fetch read only
 * about 30 of 50 such 413s). So the answer is sent at once, but the response,
 * and with it the socket, ends only once the rest of the body has been read
 * and discarded, up to a bound in bytes and in time. A client that sends more
 * than that is cut off as before. Every such answer says Connection: close,
 * so the socket is never reused after a body that was not read in full.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

/** How much of an unwanted body is read, and for how long, before the connection is cut. */
export interface UnreadBodyBounds {
  /** Bytes read and discarded after the answer. */
  maxBytes: number;
  /** Milliseconds after the answer until the connection closes regardless. */
  maxMs: number;
}

/** Four times the body limit but at least 16 MiB, for at most 10 seconds. */
export function unreadBodyBounds(bodyLimit: number): UnreadBodyBounds {
  return { maxBytes: Math.max(16 * 1024 * 1024, 4 * bodyLimit), maxMs: 10_000 };
}

export function registerUnreadBodyDiscard(app: FastifyInstance, bounds: UnreadBodyBounds): void {
  app.addHook('onSend', async (request, reply, payload) => {
    // `complete` is Node's; inject's requests lack it, their bodies being in memory already.
    if (request.raw.complete !== false || !declaresBody(request.headers)) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    // A small body that came with the headers is parsed by the next turn; its socket may stay open.
    await new Promise(setImmediate);
    if (request.raw.complete) return payload;
    reply.header('connection', 'close').header('content-length', Buffer.byteLength(payload));
    return answerThenDiscard(payload, request.raw, bounds);
  });
}

/** A GET's request is not complete before its answer either, but it has no body to wait for. */
function declaresBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

/** A response body: `answer` at once, ending when `body` has ended or the bounds are spent. */
function answerThenDiscard(answer: string | Buffer, body: IncomingMessage, bounds: UnreadBodyBounds): Readable {
  const response = new Readable({ read() {} });
  response.push(answer);
  let discarded = 0;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    body.off('data', discard);
    response.push(null);
  };
  const discard = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > bounds.maxBytes) end();
  };
  const timer = setTimeout(end, bounds.maxMs);
  body.on('data', discard);
  body.once('end', end);
  body.once('close', end);
  // An aborted upload errors the request stream; that only ends the wait.
  body.on('error', end);
  body.resume();
  return response;
}
