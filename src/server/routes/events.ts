/**
 * `GET /api/events`: Server-Sent Events for the dashboard (docs/api-plan.md).
 * Events: report, up, down, deleted, each with an `id:`; a `: ping` comment
 * every 15 s keeps proxies from closing an idle stream. After a reconnect the
 * client refetches /api/status, so no replay buffer is kept.
 */
import type { ServerResponse } from 'node:http';
import type { App, AppContext } from '../context.js';
import { LiveHub, type LiveEvent } from '../live/live-hub.js';

/** Milliseconds between keep-alive comments. */
const PING_MS = 15_000;

/** Options for the events route. */
export interface EventsRouteOptions {
  staleThresholdSeconds: number;
}

export function eventsRoutes(app: App, ctx: AppContext, options: EventsRouteOptions): void {
  const hub = new LiveHub({
    store: ctx.store, fleet: ctx.fleet, events: ctx.events, now: ctx.now,
    staleMs: options.staleThresholdSeconds * 1000, log: app.log,
  });
  const open = new Set<ServerResponse>();

  // Streams never go idle, so close them first or shutdown would wait for them.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
    hub.close();
  });

  app.get('/api/events', {
    schema: {
      summary: 'Live fleet changes (Server-Sent Events)',
      description: 'Events `report`, `up` (data: the /api/status entry), `down` ({server_alias, received_at}) and `deleted` ({server_alias}). After reconnecting, refetch /api/status.',
      tags: ['dashboard'],
      produces: ['text/event-stream'],
    },
  }, (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    // Headers set by hooks (CORS) live on the reply; a hijacked reply must send them itself.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) res.setHeader(name, value);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    open.add(res);
    const send = (e: LiveEvent) => res.write(`id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
    const unsubscribe = hub.subscribe(send);
    const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
    const done = () => {
      clearInterval(ping);
      unsubscribe();
      open.delete(res);
    };
    request.raw.on('close', done);
    res.on('error', done);
  });
}
