/**
 * `GET /api/events`: Server-Sent Events for the dashboard (docs/api-plan.md).
 * Events: report, up, down, deleted, each with an `id:`; a `: ping` comment
 * every 15 s keeps proxies from closing an idle stream. After a reconnect the
 * client refetches /api/status, so no replay buffer is kept. Streams are
 * capped in total and per client address (event-streams.ts); beyond a cap
 * the answer is a 503 with Retry-After. The stream is the reply's body, so
 * it leaves through the same hooks as any answer (CORS, security headers,
 * the worker id).
 */
import type { App, AppContext } from '../context.js';
import { HttpError } from '../error-handler.js';
import { EventStreams, type EventStreamLimits } from '../live/event-streams.js';
import { LiveHub } from '../live/live-hub.js';

/** Milliseconds between keep-alive comments. */
const PING_MS = 15_000;

/** Seconds a refused client is asked to wait: about as long as the dashboard's own backoff. */
const RETRY_AFTER_SECONDS = 10;

/** What a stream starts with: the client's reconnect delay, and a comment so the headers go out at once. */
const OPENING = Buffer.from('retry: 2000\n: connected\n\n');

/** Options for the events route. */
export interface EventsRouteOptions {
  limits: EventStreamLimits;
}

export function eventsRoutes(app: App, ctx: AppContext, options: EventsRouteOptions): void {
  const streams: EventStreams = new EventStreams(
    options.limits,
    PING_MS,
    (send) => hub.subscribe(send),
    (client, bufferedBytes) => {
      app.log.info({ client, bufferedBytes }, 'live events: closed a stream whose client fell behind');
    },
  );
  const hub = new LiveHub({
    monitor: ctx.monitor,
    fleet: ctx.fleet,
    log: app.log,
    frameBudget: () => streams.frameBudget(),
    restAfter: (busyMs, frameBytes) => streams.restAfter(busyMs, frameBytes),
  });

  app.addHook('preClose', async () => {
    streams.closeAll();
    hub.close();
  });

  app.get(
    '/api/events',
    {
      schema: {
        summary: 'Live fleet changes (Server-Sent Events)',
        description:
          'Events `report`, `up` (data: the /api/status entry), `down` ({server_alias, received_at}) and `deleted` ({server_alias}). After reconnecting, refetch /api/status. 503 with Retry-After when too many streams are open.',
        tags: ['dashboard'],
        produces: ['text/event-stream'],
      },
    },
    (request, reply) => {
      const refused = streams.refusal(request.ip);
      if (refused) {
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        throw new HttpError(503, refused);
      }
      // A client that goes away without closing cleanly surfaces as an error; the stream is gone either way.
      reply.raw.on('error', () => reply.raw.destroy());
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('connection', 'keep-alive')
        .header('x-accel-buffering', 'no')
        .send(streams.open(reply.raw, request.ip, OPENING));
    },
  );
}
