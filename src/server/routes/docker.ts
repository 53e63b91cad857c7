import { ContainersResponse, ErrorResponse, HostParams } from '../../contract/index.js';
import type { App, AppContext } from '../context.js';
import { HttpError } from '../error-handler.js';

export function dockerRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/docker/:host/containers',
    {
      schema: {
        summary: "A host's containers, as its agent last sent them",
        tags: ['dashboard'],
        params: HostParams,
        response: { 200: ContainersResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const host = await ctx.store.getHost(request.params.host);
      if (!host) throw new HttpError(404, `Host '${request.params.host}' not found`);
      return host.report.containers;
    },
  );
}
