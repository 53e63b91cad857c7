/**
 * Browser-facing hardening for the pages the server serves (the dashboard
 * at /ui/ and Swagger UI at /docs): a Content-Security-Policy that allows
 * no inline script and no framing, and nosniff. Both pages load only their
 * own files; the dashboard talks only to this server's API.
 */
import type { FastifyInstance } from 'fastify';

/** The policy of every HTML page: scripts only from this origin, never inline; styles may be set inline (uPlot, Swagger UI). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_PREFIXES = ['/ui', '/docs'];

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    // Every answer: a browser must never guess a JSON or text body to be HTML or script.
    reply.header('x-content-type-options', 'nosniff');
    const path = request.url.split('?')[0]!;
    if (PAGE_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'same-origin');
    }
    done(null, payload);
  });
}
