import type { FastifyReply } from 'fastify';
import {
  AliasParams,
  ErrorResponse,
  FleetHistoryQuery,
  HistoryResponse,
  HostHistoryQuery,
} from '../../contract/index.js';
import { parseRange, QueryError } from '../../history/query.js';
import { HistoryBusyError, HistoryTimeoutError } from '../../store/history-queries.js';
import type { App, AppContext } from '../context.js';
import { HttpError } from '../error-handler.js';
import { sendSerialized } from './serialized.js';

/** Seconds a client refused for a full queue waits before asking again. */
const BUSY_RETRY_AFTER_SECONDS = 1;

/** GET /api/history/{alias} and the fleet aggregate GET /api/history (docs/api-plan.md). */
export function historyRoutes(app: App, ctx: AppContext): void {
  // Queries in flight, stopped when the server closes: a long one would otherwise hold up the shutdown.
  const inFlight = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const query of inFlight) query.abort(new HttpError(503, 'Server is shutting down; retry shortly'));
  });
  // Problems a client can fix (bad range, unknown metric, too large an answer) become 422 with a readable detail;
  // a full queue or an overlong query a 503. A client that leaves stops its query.
  const answered = async <T>(reply: FastifyReply, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const query = new AbortController();
    inFlight.add(query);
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) query.abort(new HttpError(503, 'The client closed the connection'));
    });
    try {
      return await work(query.signal);
    } catch (error) {
      if (error instanceof QueryError) throw new HttpError(422, error.message);
      if (error instanceof HistoryBusyError) {
        reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
        throw new HttpError(503, error.message);
      }
      if (error instanceof HistoryTimeoutError) throw new HttpError(503, error.message);
      throw error;
    } finally {
      inFlight.delete(query);
    }
  };

  app.get(
    '/api/history/:alias',
    {
      schema: {
        summary: "One host's history: averages and maxima per series, columnar (ready for uPlot)",
        description:
          'Picks the finest tier that still holds data at `from` (or the coarsest one no coarser than `step`) and returns at most 1000 points. ' +
          'Times must lie between 1970 and 2100. 422: a query a client can fix (also an answer over HISTORY_MAX_CELLS values); ' +
          '503: too many history queries running and waiting (retry after Retry-After seconds), or the query ran past HISTORY_QUERY_TIMEOUT_SECONDS.',
        tags: ['history'],
        params: AliasParams,
        querystring: HostHistoryQuery,
        response: { 200: HistoryResponse, 404: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { alias } = request.params;
      const nowMs = ctx.now();
      const json = await answered(reply, (signal) =>
        ctx.store.queryHistory(
          {
            kind: 'host',
            alias,
            range: parseRange(request.query, Math.floor(nowMs / 1000)),
            nowMs,
          },
          signal,
        ),
      );
      if (!json) throw new HttpError(404, `Host '${alias}' not found`);
      return sendSerialized(reply, json);
    },
  );

  app.get(
    '/api/history',
    {
      schema: {
        summary: 'Fleet aggregate history over a group, a label, or every host',
        description:
          'Host series averaged over the matching hosts; gpu.util and gpu.mem averaged over all their GPUs. Maxima are the largest of any host.',
        tags: ['history'],
        querystring: FleetHistoryQuery,
        response: { 200: HistoryResponse, 422: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { group, label } = request.query;
      const nowMs = ctx.now();
      const json = await answered(reply, async (signal) => {
        const range = parseRange(request.query, Math.floor(nowMs / 1000), { fleet: true });
        const aliases = await ctx.store.listHosts({
          ...(group === undefined ? {} : { group }),
          ...(label === undefined ? {} : { label }),
        });
        return ctx.store.queryHistory({ kind: 'fleet', aliases, range, nowMs }, signal);
      });
      return sendSerialized(reply, json!);
    },
  );
}
