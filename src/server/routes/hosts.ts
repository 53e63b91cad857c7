import { HostsResponse } from '../../contract/index.js';
import type { App, AppContext } from '../context.js';
import { sendSerialized } from './serialized.js';

export function hostsRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/hosts',
    {
      schema: {
        summary: 'Monitored hosts (machine_type "host" only)',
        tags: ['dashboard'],
        response: { 200: HostsResponse },
      },
    },
    async (_request, reply) => sendSerialized(reply, await ctx.fleet.hostsJson()),
  );
}
