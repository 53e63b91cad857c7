/**
 * Swagger UI at /docs as Fleetwatch's: its title, logo and favicon, served
 * by the server itself (no external fetch), in place of Fastify's.
 */
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';

/** The mark: a pulse line in the dashboard's accent blue. */
const MARK =
  '<rect x="2" y="4" width="32" height="32" rx="7" fill="#2563eb"/>' +
  '<polyline points="7,21 13,21 16,13 21,29 24,18 29,18" fill="none" stroke="#fff" stroke-width="2.6" ' +
  'stroke-linecap="round" stroke-linejoin="round"/>';

const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="230" height="40" viewBox="0 0 230 40">' +
  MARK +
  // textLength keeps the words inside the image whatever font the browser picks.
  '<text x="44" y="27" fill="#fff" font-size="20" font-weight="600" textLength="180" lengthAdjust="spacingAndGlyphs" ' +
  'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">Fleetwatch API</text></svg>';

const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="36" height="40" viewBox="0 0 36 40">${MARK}</svg>`;

/** The options of @fastify/swagger-ui that brand the page. */
export const DOCS_BRANDING: Pick<FastifySwaggerUiOptions, 'logo' | 'theme'> = {
  logo: { type: 'image/svg+xml', content: Buffer.from(LOGO_SVG), href: '/docs/', target: '_self' },
  theme: {
    title: 'Fleetwatch API',
    favicon: [
      { filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: Buffer.from(FAVICON_SVG) },
    ],
  },
};
