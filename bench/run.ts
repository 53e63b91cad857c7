/**
 * `npm run bench [-- section ...]`: runs benchmark sections and rewrites
 * their parts of BENCHMARKS.md (other sections are kept as they are), with the
 * machine they ran on. Every figure is reported next to a baseline measured
 * in the same run, as a ratio.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { execSync } from 'node:child_process';
import type { BenchSection } from './section.js';

/** Sections in the order they run; each lives in bench/<name>.ts and default-exports a BenchSection. */
const SECTIONS: Record<string, () => Promise<{ default: BenchSection }>> = {
  ingest: () => import('./ingest.js'),
  history: () => import('./history.js'),
  agent: () => import('./agent.js'),
  dashboard: () => import('./dashboard.js'),
  'history-abuse': () => import('./history-abuse.js'),
  'events-abuse': () => import('./events-abuse.js'),
  steady: () => import('./steady.js'),
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wanted = args.filter((a) => !a.startsWith('--'));
const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
for (const name of names) {
  if (!SECTIONS[name]) {
    process.stderr.write(`unknown section "${name}"; known: ${Object.keys(SECTIONS).join(', ')}\n`);
    process.exit(2);
  }
}

const FILE = 'BENCHMARKS.md';
const HEADER = '# Benchmarks\n\nProduced by `npm run bench`. Each section names the machine it ran on.\n';

for (const name of names) {
  const section = (await SECTIONS[name]!()).default;
  process.stderr.write(`\n== ${section.title} ==\n`);
  const started = Date.now();
  const body = await section.run({ quick });
  const block = [
    `<!-- bench:${name} -->`,
    `## ${section.title}`,
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}, in ${((Date.now() - started) / 1000).toFixed(0)} s${quick ? ' (quick mode)' : ''}.`,
    '',
    body.trim(),
    `<!-- /bench:${name} -->`,
  ].join('\n');
  process.stdout.write(`\n${block}\n`);
  const pattern = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  // Read just before writing: another run may have rewritten other sections meanwhile.
  const doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const updated = pattern.test(doc) ? doc.replace(pattern, block) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, updated);
}

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  let os: string = process.platform;
  try {
    os = execSync('. /etc/os-release && echo "$PRETTY_NAME"', { shell: '/bin/sh' }).toString().trim();
  } catch {
    /* keep platform */
  }
  return `${cpus().length} × ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${os}, Node ${process.version}`;
}
