/**
 * A shortcut for the dashboards' polls. GET /api/status, /api/machines and
 * /api/hosts serve FleetView's cached bytes; while the fleet is unchanged,
 * what a poll still costs beyond writing them is Fastify's routing and hooks,
 * about a tenth of the whole at 1,000 hosts. So the HTTP server answers such
 * a poll itself, before Fastify, whenever the answer is the one Fastify
 * would give:
 * - a GET of exactly that path (no query string) without an Origin header,
 *   since a cross-origin request needs @fastify/cors to decide;
 * - with the headers Fastify gave the same request once the app was ready
 *   (CORS, worker id, content type), replayed, so they are defined in one place;
 * - not while the server is closing, when Fastify answers 503.
 * Everything else goes to Fastify, and so does a poll whose body fails to build.
 */
import { createServer, type ServerOptions as HttpServerOptions, type IncomingMessage, type OutgoingHttpHeaders, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { FleetView } from './fleet-view.js';

/** Headers that belong to one response, not to every answer of a path. */
const PER_RESPONSE = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

/** The bits of Fastify's options (as it hands them to a server factory) its own HTTP/1 server is built from. */
interface ServerOptions {
  http?: HttpServerOptions | null;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

export class PollShortcut {
  /** Per path: builds its body, and the headers to send with it once learned. */
  private readonly paths = new Map<string, { body: () => Promise<Buffer>; headers?: OutgoingHttpHeaders }>();
  private isOpen = false;
  /** Polls answered here rather than by Fastify, for tests and curiosity. */
  answered = 0;

  constructor(fleet: FleetView) {
    this.paths.set('/api/status', { body: () => fleet.statusJson() });
    this.paths.set('/api/machines', { body: () => fleet.machinesJson() });
    this.paths.set('/api/hosts', { body: () => fleet.hostsJson() });
  }

  /** True from start() until the app begins to close. */
  get running(): boolean {
    return this.isOpen;
  }

  /**
   * Fastify's `serverFactory`: the HTTP/1 server Fastify would make (same
   * options and timeouts), with the shortcut in front of Fastify's handler.
   */
  serverFactory = (handler: (req: IncomingMessage, res: ServerResponse) => void, options: ServerOptions): Server => {
    const server = createServer(options.http ?? {}, (req, res) => {
      if (!this.answer(req, res, handler)) handler(req, res);
    });
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };

  /** Before `app` is ready: the shortcut closes with it, leaving the drain's 503 to Fastify. */
  closeWith(app: FastifyInstance): void {
    app.addHook('preClose', async () => { this.isOpen = false; });
  }

  /** Once `app` is ready: learns each path's headers from Fastify itself, then starts answering. */
  async start(app: FastifyInstance): Promise<void> {
    for (const [url, path] of this.paths) {
      const res = await app.inject({ method: 'GET', url });
      if (res.statusCode !== 200) continue;
      path.headers = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !PER_RESPONSE.has(name)));
    }
    this.isOpen = true;
  }

  /** Answers `req` and returns true when it is a plain poll of a cached view; false leaves it to Fastify. */
  private answer(req: IncomingMessage, res: ServerResponse, fallback: RequestListener): boolean {
    if (!this.isOpen || req.method !== 'GET' || req.headers.origin !== undefined) return false;
    const path = this.paths.get(req.url ?? '');
    if (!path?.headers) return false;
    const headers = path.headers;
    path.body().then((body) => {
      this.answered++;
      res.writeHead(200, { ...headers, 'content-length': body.length });
      res.end(body);
    }, () => fallback(req, res));
    return true;
  }
}
