/**
 * Serves the dashboard (built by `scripts/build.mjs` into dist/web) at /ui/.
 * Paths without a file (/ui/hosts/gpu-01, /ui/gpus) get index.html so the
 * app's router can take them. `GET /` keeps its JSON health answer.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { App } from '../context.js';

/** Both src/server/routes and dist/server/routes sit three levels below the package root. */
const WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/** Options for the dashboard route; `root` replaces the built folder in tests. */
export interface UiRouteOptions {
  root?: string;
}

export async function uiRoutes(app: App, options: UiRouteOptions = {}): Promise<void> {
  const root = options.root ?? WEB_ROOT;
  app.get('/ui', { schema: { hide: true } }, (_request, reply) => reply.redirect('/ui/'));
  if (!existsSync(`${root}/index.html`)) {
    app.log.warn({ root }, 'dashboard not built; /ui/ answers 503 (run npm run build)');
    app.get('/ui/*', { schema: { hide: true } }, (_request, reply) =>
      reply.code(503).send({ detail: 'The dashboard is not built. Run `npm run build` and restart.' }),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/ui/',
    // Files are routed one by one at start-up, so unknown paths fall through to the SPA route below.
    wildcard: false,
    cacheControl: false,
    index: false,
    setHeaders: (res, path) => {
      // Vite puts a content hash in every asset name, so those never change.
      res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const spa = { schema: { hide: true } };
  const sendIndex = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html');
  app.get('/ui/', spa, (_request, reply) => sendIndex(reply));
  app.get('/ui/*', spa, (request, reply) => {
    // A missing asset is a real 404; app routes (host aliases may contain dots) get the page.
    if (request.url.startsWith('/ui/assets/')) return reply.code(404).send({ detail: 'Not Found' });
    return sendIndex(reply);
  });
}
