import { MachinesResponse } from '../../contract/index.js';
import type { App, AppContext } from '../context.js';
import { sendSerialized } from './serialized.js';

export function machinesRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/machines',
    {
      schema: {
        summary: 'Machine inventory: hosts and their containers',
        tags: ['dashboard'],
        response: { 200: MachinesResponse },
      },
    },
    async (_request, reply) => sendSerialized(reply, await ctx.fleet.machinesJson()),
  );
}
