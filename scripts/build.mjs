#!/usr/bin/env node
// Builds everything `npm start` and the tests need, skipping work when the
// outputs are newer than every input (so `npm start` stays quick after the
// first run). `--force` rebuilds everything.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const force = process.argv.includes('--force');

/** Each step: a name, the inputs it reads, a stamp file it leaves, and the command. */
const steps = [
  { name: 'server', inputs: ['src', 'tsconfig.json', 'package.json'], cmd: ['npx', ['tsc', '-p', 'tsconfig.json']] },
  // The dashboard: typecheck, then Vite bundles it (no CDN) into dist/web, served at /ui/.
  // It imports the contract's types and the rules it shares with the server (src/domain).
  {
    name: 'web',
    inputs: ['web', 'src/contract', 'src/domain', 'package.json'],
    cmd: ['sh', ['-c', 'npx tsc -p web/tsconfig.json && npx vite build --config web/vite.config.ts']],
  },
  // The agent: one bundled file, dist/agent/fleetwatch-agent.mjs, run by bin/fleetwatch-agent.js.
  {
    name: 'agent',
    inputs: ['src/agent', 'src/contract', 'scripts/build-agent.mjs', 'package.json'],
    cmd: ['node', ['scripts/build-agent.mjs']],
  },
];

function newest(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const st = statSync(full);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(full)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

mkdirSync(join(root, 'dist'), { recursive: true });
for (const step of steps) {
  const stamp = join(root, 'dist', `.built-${step.name}`);
  const stale = force || !existsSync(stamp) || step.inputs.some((i) => newest(i) > statSync(stamp).mtimeMs);
  if (!stale) continue;
  process.stderr.write(`fleetwatch: building ${step.name}...\n`);
  const started = Date.now();
  try {
    execFileSync(step.cmd[0], step.cmd[1], { cwd: root, stdio: 'inherit' });
  } catch (error) {
    // The tool has printed its own errors above; say which step failed without a Node stack trace.
    process.stderr.write(
      `fleetwatch: building ${step.name} failed (${error.status !== null ? `exit ${error.status}` : (error.signal ?? error.message)})\n`,
    );
    process.exit(1);
  }
  writeFileSync(stamp, new Date().toISOString());
  process.stderr.write(`fleetwatch: built ${step.name} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
}
