/**
 * Builds the Fastify app without listening, so tests can use `inject`.
 * Order: error handling, CORS, OpenAPI, then routes. Every request goes
 * parser, hooks, route: the routes that need the API key are registered in
 * one scope whose hook checks it (auth.ts).
 */
import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LIMITS } from '../contract/index.js';
import type { Store } from '../store/store.js';
import { AJV_OPTIONS } from './ajv-options.js';
import type { App, AppContext } from './context.js';
import { clientErrorHandler, frameworkErrors, registerDrain, registerErrorHandling } from './error-handler.js';
import { apiKeyScope } from './auth.js';
import { SERVER_VERSION } from './version.js';
import { authCheckRoutes } from './routes/auth-check.js';
import { FleetEvents } from './fleet-events.js';
import { FleetMonitor } from './fleet-monitor.js';
import { FleetView } from './fleet-view.js';
import { HostExpiry } from './host-expiry.js';
import { DOCS_BRANDING } from './docs-branding.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerUnreadBodyDiscard, unreadBodyBounds, type UnreadBodyBounds } from './unread-body.js';
import { dockerRoutes } from './routes/docker.js';
import { healthRoutes } from './routes/health.js';
import { historyRoutes } from './routes/history.js';
import { hostsRoutes } from './routes/hosts.js';
import { machinesRoutes } from './routes/machines.js';
import { reportRoutes } from './routes/report.js';
import { serverRoutes } from './routes/servers.js';
import { statusRoutes } from './routes/status.js';
import { eventsRoutes } from './routes/events.js';
import { DEFAULT_EVENT_STREAM_LIMITS, type EventStreamLimits } from './live/event-streams.js';
import { uiRoutes } from './routes/ui.js';

export interface BuildAppOptions {
  store: Store;
  apiKey: string;
  staleThresholdSeconds: number;
  corsOrigins: '*' | string[];
  bodyLimit: number;
  logger?: FastifyServerOptions['logger'] | FastifyServerOptions['loggerInstance'];
  now?: () => number;
  /** Set under WORKERS>1: sent as X-Fleetwatch-Worker so operators (and tests) see which process answered. */
  workerId?: number;
  /** How much of a body answered before it arrived is still read; tests shorten it. Default: unreadBodyBounds(bodyLimit). */
  unreadBody?: UnreadBodyBounds;
  /** Limits on /api/events streams; omitted ones take their defaults (DEFAULT_EVENT_STREAM_LIMITS). */
  eventStreams?: Partial<EventStreamLimits>;
  /** HOST_EXPIRE_DAYS: hosts silent this long are removed (host-expiry.ts); off when omitted. */
  hostExpireDays?: number | undefined;
}

export async function buildApp(options: BuildAppOptions): Promise<{ app: App; ctx: AppContext }> {
  const now = options.now ?? Date.now;
  const staleMs = options.staleThresholdSeconds * 1000;
  const app = Fastify({
    ...(options.logger && typeof options.logger === 'object' && 'child' in options.logger
      ? { loggerInstance: options.logger }
      : { logger: options.logger ?? false }),
    bodyLimit: options.bodyLimit,
    // Every alias the contract accepts must be routable, even percent-encoded: up to 12 characters per code point.
    routerOptions: { maxParamLength: LIMITS.aliasMaxLength * 12 },
    frameworkErrors,
    clientErrorHandler,
    // One line per request is noise at fleet scale; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // Closing keep-alive sockets on shutdown lets in-flight requests finish and idle ones go.
    forceCloseConnections: 'idle',
    // Our own 503 below carries the {detail} body the clients parse.
    return503OnClosing: false,
    ajv: { customOptions: AJV_OPTIONS },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const events = new FleetEvents();
  const fleet: FleetView = new FleetView({ store: options.store, staleMs, now, catchUp: () => monitor.catchUp() });
  const monitor = new FleetMonitor({ store: options.store, events, fleet, staleMs, now, log: app.log });
  const hostExpiry =
    options.hostExpireDays === undefined
      ? undefined
      : new HostExpiry({ store: options.store, events, log: app.log, now, expireDays: options.hostExpireDays });
  const ctx: AppContext = { store: options.store, fleet, events, monitor, now, hostExpiry };

  registerErrorHandling(app);
  registerSecurityHeaders(app);
  registerDrain(app);
  registerUnreadBodyDiscard(app, options.unreadBody ?? unreadBodyBounds(options.bodyLimit));
  app.addHook('onClose', async () => {
    await hostExpiry?.stop();
    monitor.close();
  });
  if (options.workerId !== undefined) {
    const id = String(options.workerId);
    app.addHook('onSend', async (_request, reply) => {
      reply.header('x-fleetwatch-worker', id);
    });
  }
  // Only JSON bodies are accepted; anything else gets a 415 with a detail.
  app.removeContentTypeParser('text/plain');
  await app.register(cors, {
    origin: options.corsOrigins === '*' ? '*' : options.corsOrigins,
    methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Fleetwatch API',
        version: SERVER_VERSION,
        description: 'Fleet monitoring, drop-in compatible with the original Server Monitoring API.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    ...DOCS_BRANDING,
    // Its own redirect of /docs/static/index.html keeps a query string and so loops; send every form to the page.
    uiHooks: {
      onRequest: (request, reply, done) => {
        if (request.routeOptions.url === '/docs/static/index.html') void reply.redirect('/docs/');
        else done();
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of [healthRoutes, statusRoutes, machinesRoutes, hostsRoutes, dockerRoutes, historyRoutes]) {
    routes(app, ctx);
  }
  // What agents and admins write: the API key is checked once, by the scope's hook.
  await app.register(
    apiKeyScope(options.apiKey, (scope) => {
      reportRoutes(scope, ctx);
      serverRoutes(scope, ctx);
      authCheckRoutes(scope);
    }),
  );
  eventsRoutes(app, ctx, { limits: { ...DEFAULT_EVENT_STREAM_LIMITS, ...options.eventStreams } });
  await uiRoutes(app);
  await monitor.start();
  await app.ready();
  hostExpiry?.start();
  return { app, ctx };
}
