#!/usr/bin/env node
// Bundles the agent into one file, dist/agent/fleetwatch-agent.mjs, that runs
// with plain `node` on a monitored host: no node_modules, no native modules.
// CommonJS dependencies (pino, dotenv) get a real `require` through the banner.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

await build({
  entryPoints: [`${root}src/agent/cli.ts`],
  outfile: `${root}dist/agent/fleetwatch-agent.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'eof',
  define: { __AGENT_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: `#!/usr/bin/env node\nimport { createRequire as __agentRequire } from 'node:module';\nconst require = __agentRequire(import.meta.url);`,
  },
  logLevel: 'warning',
});
