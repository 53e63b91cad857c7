/**
 * Builds the dashboard into dist/web, served by the server at /ui/.
 * Everything is bundled (no CDN), so the dashboard works offline.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/ui/',
  plugins: [preact()],
  logLevel: 'warn',
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in the served build: they would publish the source next to the bundle.
    sourcemap: false,
    chunkSizeWarningLimit: 300,
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development: the API comes from a running server.
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
});
