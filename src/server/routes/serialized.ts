import type { FastifyReply } from 'fastify';
import type { JoinedJson } from '../joined-json.js';

/**
 * Sends JSON that was already serialized to UTF-8: a Buffer as it is, or a
 * read model's joined body as its one slab, or as its stream of slabs with
 * its Content-Length.
 * Fastify writes either without a serializer or re-encoding, through its
 * onSend hooks. The route's response schema still documents the shape in
 * OpenAPI; the cast only tells the type provider that the bytes are that
 * shape, serialized.
 */
export function sendSerialized(reply: unknown, json: Buffer | JoinedJson): FastifyReply {
  const r = (reply as FastifyReply).type('application/json; charset=utf-8');
  if (Buffer.isBuffer(json)) return r.send(json);
  const single = json.single();
  if (single) return r.send(single);
  return r.header('content-length', json.length).send(json.stream());
}
