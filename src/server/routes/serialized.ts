import type { FastifyReply } from 'fastify';

/**
 * Sends JSON that was already serialized (a FleetView cache entry). The
 * route's response schema still documents the shape in OpenAPI; the cast only
 * tells the type provider that the string is that shape, serialized.
 */
export function sendSerialized(reply: unknown, json: string): FastifyReply {
  return (reply as FastifyReply).type('application/json; charset=utf-8').serializer((s: unknown) => s as string).send(json);
}
