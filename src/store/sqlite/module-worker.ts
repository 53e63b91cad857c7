/**
 * Starts a worker thread on a module that sits beside the caller: its
 * compiled .js in the build (dist/), or, when the caller runs from the
 * TypeScript sources (tests, tsx), its .ts through tsx's loader, which a
 * worker does not inherit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A Worker running `./<name>.js` (or `.ts`) relative to `base`, the caller's import.meta.url. */
export function moduleWorker(base: string, name: string, options: WorkerOptions): Worker {
  const js = new URL(`./${name}.js`, base);
  if (existsSync(fileURLToPath(js))) return new Worker(js, options);
  const ts = new URL(`./${name}.ts`, base);
  if (!existsSync(fileURLToPath(ts))) throw new Error(`${fileURLToPath(js)} is missing; run \`npm run build\` first`);
  const boot = `import(${JSON.stringify(tsxEsmApi(base))}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(ts.href)}))`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * The URL of tsx's ESM API, from its package manifest's `import` export:
 * its CommonJS build registers a loader from a path that does not exist.
 */
function tsxEsmApi(base: string): string {
  const manifest = createRequire(base).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const entry = exports['./esm/api']?.import?.default;
  if (!entry) throw new Error(`${manifest} has no ESM API to run TypeScript workers with`);
  return new URL(entry, pathToFileURL(manifest)).href;
}
