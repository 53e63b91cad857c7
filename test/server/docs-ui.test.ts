/** Swagger UI at /docs says Fleetwatch, with its logo and favicon served by the server. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

/** Fastify's own logo, as @fastify/swagger-ui ships it. */
const fastifyLogo = readFileSync(
  join(createRequire(import.meta.url).resolve('@fastify/swagger-ui'), '../static/logo.svg'),
).toString('base64');

describe('Swagger UI', () => {
  it('is titled Fleetwatch and links its own favicon', async () => {
    const page = await t.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Fleetwatch API</title>');
    expect(page.body).not.toContain('favicon-32x32.png');
    expect(page.body).toMatch(/<link rel="icon" type="image\/svg\+xml" href="\.\/static\/theme\/favicon\.svg"/);
    const icon = await t.app.inject({ url: '/docs/static/theme/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
    expect(icon.body).toMatch(/^<svg /);
  });

  it("replaces Fastify's logo with Fleetwatch's, inline", async () => {
    const script = (await t.app.inject({ url: '/docs/static/swagger-initializer.js' })).body;
    expect(script).not.toContain(fastifyLogo);
    const logo = /img\.src = 'data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)'/.exec(script)?.[1];
    expect(Buffer.from(logo!, 'base64').toString()).toContain('>Fleetwatch API</text>');
  });
});
