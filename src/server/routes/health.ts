import { HealthResponse } from '../../contract/index.js';
import type { App, AppContext } from '../context.js';

export function healthRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/',
    {
      schema: { summary: 'Health check', tags: ['compat'], response: { 200: HealthResponse } },
    },
    async () => ({
      service: 'Server Monitoring API' as const,
      status: 'online' as const,
      servers_monitored: await ctx.store.countHosts(),
      timestamp: new Date(ctx.now()).toISOString(),
    }),
  );
}
