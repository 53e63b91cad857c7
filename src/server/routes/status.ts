import { StatusResponse } from '../../contract/index.js';
import type { App, AppContext } from '../context.js';
import { sendSerialized } from './serialized.js';

export function statusRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/status',
    {
      schema: {
        summary: 'Latest state of every host',
        description: '`status` is "down" when the last report was received more than STALE_THRESHOLD_SECONDS ago.',
        tags: ['dashboard'],
        response: { 200: StatusResponse },
      },
    },
    async (_request, reply) => sendSerialized(reply, await ctx.fleet.statusJson()),
  );
}
