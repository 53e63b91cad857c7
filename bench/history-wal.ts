/**
 * WAL size under sustained ingest with history and maintenance running:
 * `npx tsx bench/history-wal.ts [--hosts 10000] [--rate 1000] [--seconds 90] [--rounds 1]`.
 * SQLite's automatic checkpoint alone keeps it bounded ("WAL size" in
 * BENCHMARKS.md, measured against a checkpointer of its own).
 * An open loop sends `rate` reports a second (each host in turn, stamped
 * now) into a SqliteStore (synchronous FULL, as served) whose maintenance
 * thread runs as the server runs it; the WAL file's size is sampled every
 * second, and each report's time to durable commit is recorded.
 */
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { NormalizedReport } from '../src/contract/index.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import { normalized } from './history-reports.js';

const { values: args } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '90' },
    rounds: { type: 'string', default: '1' },
  },
});
const hosts = Number(args.hosts);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const TICK_MS = 100;
const MiB = 1024 * 1024;

interface RunResult {
  walMiB: number[];
  latenciesMs: number[];
  sent: number;
  errors: number;
  maintenanceErrors: number;
}

async function run(bases: NormalizedReport[]): Promise<RunResult> {
  const dir = tempDir();
  const store = new SqliteStore({ dataDir: dir.path, synchronous: 'FULL' });
  let maintenanceErrors = 0;
  const log = {
    error: (data: Record<string, unknown>, msg: string) => {
      maintenanceErrors++;
      process.stderr.write(`${msg} ${JSON.stringify(data)}\n`);
    },
    debug: () => {},
  };
  const maintenance = await store.startMaintenance(log);
  const wal = `${store.db.name}-wal`;
  const result: RunResult = { walMiB: [], latenciesMs: [], sent: 0, errors: 0, maintenanceErrors: 0 };
  const inFlight = new Set<Promise<unknown>>();
  const started = performance.now();
  let next = 0;
  let tick = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      // Open loop: as many reports as the rate asks for by now, whether or not earlier ones are done.
      const due = Math.floor((elapsed / 1000) * rate);
      const now = Date.now();
      for (; result.sent < due; result.sent++) {
        const i = next++ % hosts;
        const report = { ...bases[i]!, timestamp: new Date(now).toISOString() };
        const sentAt = performance.now();
        const p = store
          .ingest(report, now)
          .then(
            () => {
              result.latenciesMs.push(performance.now() - sentAt);
            },
            () => {
              result.errors++;
            },
          )
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (++tick % (1000 / TICK_MS) === 0) result.walMiB.push(statSync(wal, { throwIfNoEntry: false })?.size ?? 0);
    }, TICK_MS);
  });
  await Promise.all(inFlight);
  await maintenance.stop();
  await store.close();
  dir.remove();
  result.walMiB = result.walMiB.map((bytes) => bytes / MiB);
  result.maintenanceErrors = maintenanceErrors;
  return result;
}

const quantile = (xs: number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

const bases = Array.from({ length: hosts }, (_, i) => normalized(i, Date.now()));
const results: RunResult[] = [];
for (let round = 0; round < Number(args.rounds); round++) {
  process.stderr.write(`round ${round + 1}: ${hosts} hosts, ${rate} reports/s, ${seconds} s\n`);
  results.push(await run(bases));
}
console.log(
  `${hosts} hosts, ${rate} reports/s for ${seconds} s each, history and maintenance on, SQLITE_SYNCHRONOUS=FULL\n`,
);
console.log(
  '| round | WAL median MiB | WAL max MiB | WAL at end MiB | report p50 ms | report p99 ms | reports | errors |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [i, r] of results.entries()) {
  const f = (x: number) => x.toFixed(1);
  console.log(
    `| ${i + 1} | ${f(quantile(r.walMiB, 0.5))} | ${f(Math.max(...r.walMiB))} | ${f(r.walMiB.at(-1) ?? NaN)} | ${f(quantile(r.latenciesMs, 0.5))} | ${f(quantile(r.latenciesMs, 0.99))} | ${r.latenciesMs.length} | ${r.errors + r.maintenanceErrors} |`,
  );
}
console.log(
  `\nWAL samples (MiB, one a second):\n${results.map((r, i) => `round ${i + 1}: ${r.walMiB.map((x) => x.toFixed(0)).join(' ')}`).join('\n')}`,
);
