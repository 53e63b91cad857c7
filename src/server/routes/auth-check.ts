import { KeyAccepted } from '../../contract/index.js';
import type { App } from '../context.js';

/** GET /api/auth/check, in the API key's scope: answers 200 with the key, 401 without; it stores nothing. */
export function authCheckRoutes(app: App): void {
  app.get(
    '/api/auth/check',
    {
      schema: {
        summary: 'Check the API key',
        description:
          'Answers 200 when the request carries the API key and 401 when not; it reads and stores nothing. ' +
          '`fleetwatch-agent check` uses it, so checking a key is not a rejected request in the log.',
        tags: ['agent'],
        response: { 200: KeyAccepted },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
}
