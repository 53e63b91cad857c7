import { ErrorResponse, AliasParams } from '../../contract/index.js';
import { FleetHistoryQuery, HistoryResponse, HostHistoryQuery } from '../../history/api-schema.js';
import { fleetHistory, hostHistory, parseRange, QueryError } from '../../history/query.js';
import type { App, AppContext } from '../context.js';
import { HttpError } from '../error-handler.js';

/** GET /api/history/{alias} and the fleet aggregate GET /api/history (docs/api-plan.md). */
export function historyRoutes(app: App, ctx: AppContext): void {
  const range = (query: HostHistoryQuery) => parseRange(query, Math.floor(ctx.now() / 1000));
  // Problems a client can fix (bad range, unknown metric) become 422 with a readable detail.
  const clientErrors = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof QueryError) throw new HttpError(422, error.message);
      throw error;
    }
  };

  app.get('/api/history/:alias', {
    schema: {
      summary: "One host's history: averages and maxima per series, columnar (ready for uPlot)",
      description: 'Picks the finest tier that still holds data at `from` (or the coarsest one no coarser than `step`) and returns at most 1000 points.',
      tags: ['history'],
      params: AliasParams,
      querystring: HostHistoryQuery,
      response: { 200: HistoryResponse, 404: ErrorResponse, 422: ErrorResponse },
    },
  }, async (request) => {
    const { alias } = request.params;
    const answer = await clientErrors(() => hostHistory(ctx.store, alias, range(request.query), ctx.now()));
    if (!answer) throw new HttpError(404, `Host '${alias}' not found`);
    return answer;
  });

  app.get('/api/history', {
    schema: {
      summary: 'Fleet aggregate history over a group, a label, or every host',
      description: 'Host series averaged over the matching hosts; gpu.util and gpu.mem averaged over all their GPUs. Maxima are the largest of any host.',
      tags: ['history'],
      querystring: FleetHistoryQuery,
      response: { 200: HistoryResponse, 422: ErrorResponse },
    },
  }, async (request) => {
    const { group, label } = request.query;
    const hosts = await ctx.fleet.records();
    return clientErrors(() => fleetHistory(ctx.store, hosts, {
      ...(group === undefined ? {} : { group }), ...(label === undefined ? {} : { label }),
    }, range(request.query), ctx.now()));
  });
}
