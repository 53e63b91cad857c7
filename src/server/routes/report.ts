import type { FastifyRequest } from 'fastify';
import {
  AGENT_TIME_FORMS,
  ErrorResponse,
  ignoredList,
  normalizeReport,
  protocolIssue,
  replaceUnreadableTimestamp,
  Report,
  ReportAccepted,
  unknownFields,
  type UnknownFields,
} from '../../contract/index.js';
import type { App, AppContext } from '../context.js';
import { issuesReason, noteRejection } from '../rejection-log.js';

export function reportRoutes(app: App, ctx: AppContext): void {
  // Read before validation, which removes them; named in the answer so that a typo is seen.
  const unknown = new WeakMap<FastifyRequest, UnknownFields>();
  app.post(
    '/api/report',
    {
      // Before validation, which would drop the fields of a newer protocol it does not know and store a misread report.
      preValidation: async (request, reply) => {
        const issue = protocolIssue(request.body);
        if (issue) {
          noteRejection(request, { reason: issuesReason([issue]) });
          return reply.code(422).send({ detail: [issue] });
        }
        unknown.set(request, unknownFields(request.body, Report));
      },
      schema: {
        summary: "Receive an agent's report",
        description:
          'Acknowledged with 200 only after the report is durably stored. Unknown fields are accepted and not stored, as the ' +
          'original server does; the 200 answer names them in `ignored`. A `timestamp` that is not a date ' +
          `(${AGENT_TIME_FORMS}) is stored as the receive time, with a note in \`ignored\`. A report whose \`protocol_version\` is ` +
          'newer than this server understands gets 422 with one item of type `protocol_version_unsupported`.',
        tags: ['agent'],
        body: Report,
        response: { 200: ReportAccepted, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse },
      },
    },
    async (request, reply) => {
      const report = normalizeReport(request.body);
      if (Array.isArray(report)) {
        noteRejection(request, { reason: issuesReason(report) });
        return reply.code(422).send({ detail: report });
      }
      const receivedAt = ctx.now();
      const timestampNote = replaceUnreadableTimestamp(report, receivedAt);
      const stored = await ctx.store.ingest(report, receivedAt);
      ctx.events.publish({ type: 'stored', alias: report.server_alias, report, ...stored });
      const ignored = ignoredList(
        unknown.get(request) ?? { paths: [], total: 0 },
        timestampNote ? [timestampNote] : [],
      );
      return {
        status: 'ok' as const,
        server_alias: report.server_alias,
        received_at: new Date(receivedAt).toISOString(),
        ...(ignored ? { ignored } : {}),
      };
    },
  );
}
