import type { FastifyReply } from 'fastify';

/**
 * Sends JSON that was already serialized to UTF-8 (a FleetView cache entry):
 * Fastify writes a Buffer as it is, without a serializer or re-encoding. The
 * route's response schema still documents the shape in OpenAPI; the cast only
 * tells the type provider that the bytes are that shape, serialized.
 */
export function sendSerialized(reply: unknown, json: Buffer): FastifyReply {
  return (reply as FastifyReply).type('application/json; charset=utf-8').send(json);
}
