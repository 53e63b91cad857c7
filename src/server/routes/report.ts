import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse, normalizeReport, Report, ReportAccepted } from '../../contract/index.js';
import { requireApiKey } from '../auth.js';
import type { App, AppContext } from '../context.js';
import { ReportBodies } from './report-body.js';

export function reportRoutes(app: App, ctx: AppContext): void {
  // A plugin of its own: its JSON parser, which keeps each body's text, serves this route only.
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const bodies = new ReportBodies();
    bodies.installParser(scope);
    scope.post('/api/report', {
      onRequest: requireApiKey(ctx.apiKey),
      validatorCompiler: bodies.validatorCompiler,
      schema: {
        summary: "Receive an agent's report",
        description: 'Acknowledged with 200 only after the report is durably stored.',
        tags: ['agent'],
        security: [{ bearer: [] }],
        body: Report,
        response: { 200: ReportAccepted, 401: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse },
      },
    }, async (request, reply) => {
      const report = normalizeReport(request.body);
      if (Array.isArray(report)) return reply.code(422).send({ detail: report });
      const receivedAt = ctx.now();
      const result = await ctx.store.ingest(report, receivedAt, bodies.canonicalJson(request.body));
      ctx.events.publish({ type: 'report', alias: report.server_alias, receivedAt, ...result });
      return { status: 'ok' as const, server_alias: report.server_alias, received_at: new Date(receivedAt).toISOString() };
    });
  });
}
