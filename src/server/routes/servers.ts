import { AliasParams, ErrorResponse, ServerRemoved } from '../../contract/index.js';
import { requireApiKey } from '../auth.js';
import type { App, AppContext } from '../context.js';
import { HttpError } from '../error-handler.js';

export function serverRoutes(app: App, ctx: AppContext): void {
  app.delete('/api/server/:alias', {
    onRequest: requireApiKey(ctx.apiKey),
    schema: {
      summary: 'Remove a server, its containers and its history',
      tags: ['admin'],
      security: [{ bearer: [] }],
      params: AliasParams,
      response: { 200: ServerRemoved, 401: ErrorResponse, 404: ErrorResponse },
    },
  }, async (request) => {
    const { alias } = request.params;
    if (!(await ctx.store.deleteHost(alias))) throw new HttpError(404, `Server '${alias}' not found`);
    ctx.events.publish({ type: 'deleted', alias });
    return { status: 'ok' as const, message: `Server '${alias}' removed` };
  });
}
