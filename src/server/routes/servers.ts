import { AliasParams, ErrorResponse, ServerRemoved } from '../../contract/index.js';
import type { App, AppContext } from '../context.js';
import { HttpError } from '../error-handler.js';

export function serverRoutes(app: App, ctx: AppContext): void {
  app.delete(
    '/api/server/:alias',
    {
      schema: {
        summary: 'Remove a server, its containers and its history',
        description:
          "The host comes back with its agent's next report, as a new host: stop the agent first, or let HOST_EXPIRE_DAYS " +
          'remove hosts that have stopped reporting.',
        tags: ['admin'],
        params: AliasParams,
        response: { 200: ServerRemoved, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { alias } = request.params;
      if (!(await ctx.store.deleteHost(alias))) throw new HttpError(404, `Server '${alias}' not found`);
      ctx.events.publish({ type: 'deleted', alias });
      return { status: 'ok' as const, message: `Server '${alias}' removed` };
    },
  );
}
