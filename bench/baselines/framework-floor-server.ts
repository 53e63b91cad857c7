/**
 * The framework floor: what Fastify alone costs a report, measured so that
 * the ingest ratio can be read. POST /api/report is a Fastify route with
 * Fleetwatch's own body and response schemas and Ajv options (the same
 * parse and validation), and the parsed body goes into a Map: no API key,
 * no normalizing, nothing on disk, no read model. Fleetwatch's distance to
 * this row is its own work; this row's distance to the ceiling is the
 * framework's. Ingest only: its /api/status lists the hosts' aliases, for
 * the load generator's check that seeding reached every host, and is never
 * measured.
 */
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Report, ReportAccepted } from '../../src/contract/index.js';
import { AJV_OPTIONS } from '../../src/server/ajv-options.js';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('framework-floor: set PORT');

const hosts = new Map<string, { report: unknown; receivedAt: number }>();
const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024, ajv: { customOptions: AJV_OPTIONS } });
const typed = app.withTypeProvider<TypeBoxTypeProvider>();

typed.post('/api/report', { schema: { body: Report, response: { 200: ReportAccepted } } }, async (request) => {
  const receivedAt = Date.now();
  hosts.set(request.body.server_alias, { report: request.body, receivedAt });
  return {
    status: 'ok' as const,
    server_alias: request.body.server_alias,
    received_at: new Date(receivedAt).toISOString(),
  };
});
typed.get('/api/status', async () => ({ results: [...hosts.keys()].map((server_alias) => ({ server_alias })) }));
typed.get('/', async () => ({ service: 'framework floor', servers_monitored: hosts.size }));

await app.listen({ host: '127.0.0.1', port });
const stop = (): void => {
  void app.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
