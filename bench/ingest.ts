/**
 * `npm run bench -- ingest`: Fleetwatch's report ingest and /api/status
 * against two baselines run the same way, in the same run: the bare-Node
 * ceiling and a Node model of the original in-memory design. Each server is
 * a separate process, the load generator another (bench/load/). Sizes: 1,000
 * and 10,000 simulated hosts (bench/fleet.ts).
 */
import { execSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { BenchSection } from './run.js';
import { ingestMarkdown, type Cell } from './load/ingest-report.js';
import type { Phase } from './load/plan.js';
import { runLoad } from './load/run-load.js';
import { BENCH_API_KEY, startTarget, type TargetKind } from './load/targets.js';

const SIZES = [1000, 10_000];
const TARGETS: TargetKind[] = ['ceiling', 'model', 'fleetwatch', 'fleetwatch-no-history'];
/** Keep-alive connections sending reports as fast as they are answered. */
const INGEST_CONNECTIONS = 64;

/** The measured phases for one server and fleet size (Fleetwatch without history: ingest only, for issue 5's ratio). */
function phases(kind: TargetKind, hosts: number, quick: boolean): Phase[] {
  const s = (full: number, short: number): number => (quick ? short : full);
  const statusGets = hosts >= 10_000 ? 40 : 400;
  const ingest: Phase[] = [
    { name: 'warm-up', kind: 'ingest', connections: INGEST_CONNECTIONS, seconds: s(3, 1), warmup: true },
    { name: 'ingest', kind: 'ingest', connections: INGEST_CONNECTIONS, seconds: s(10, 3) },
  ];
  if (kind === 'fleetwatch-no-history') return ingest;
  return [
    // A dashboard has been polling a running server for a while: every server answers some polls unmeasured first,
    // so that no server is timed while its code is still being compiled (a framework has more of it to warm up).
    { name: 'status warm-up', kind: 'status', connections: 0, statusRequests: s(statusGets / 4, statusGets / 20), seconds: s(10, 3), warmup: true },
    // At rest: every host has reported once and nothing else happens (no reports, no background work).
    // Measured before the ingest burst, whose history a server may still be rolling up long after it.
    { name: 'status at rest', kind: 'status', connections: 0, statusRequests: s(statusGets, statusGets / 5), seconds: s(15, 5), quiesceFirst: true },
    ...ingest,
    // The real pattern: every host reports once a minute while a dashboard polls.
    { name: 'status while reporting', kind: 'both', connections: 8, ingestRate: Math.ceil(hosts / 60), statusRequests: s(statusGets, statusGets / 5), seconds: s(15, 5) },
  ];
}

const section: BenchSection = {
  title: 'Ingest and /api/status: Fleetwatch vs the bare-Node ceiling',
  async run({ quick }) {
    const rounds = quick ? 1 : 3;
    const cells: Cell[] = [];
    const load = loadavg()[0]!;
    for (const hosts of SIZES) {
      for (let round = 0; round < rounds; round++) {
        // Alternate the order between rounds so drift on a shared machine does not favour one server.
        for (const kind of round % 2 ? [...TARGETS].reverse() : TARGETS) {
          process.stderr.write(`ingest: ${hosts} hosts, ${kind}, round ${round + 1}/${rounds}\n`);
          const target = await startTarget(kind, process.env.BENCH_CPU_PROF_DIR);
          try {
            const result = await runLoad({ url: target.url, apiKey: BENCH_API_KEY, hosts, phases: phases(kind, hosts, quick), serverPid: target.pid }, 300_000);
            cells.push({ hosts, kind, round, result, peakRssMiB: target.peakRssMiB() });
          } finally {
            await target.stop();
          }
        }
      }
    }
    return ingestMarkdown(cells, { rounds, quick, ingestConnections: INGEST_CONNECTIONS, loadAtStart: load, build: buildId() });
  },
};

function buildId(): string {
  try {
    const head = execSync('git rev-parse --short HEAD').toString().trim();
    const dirty = execSync('git status --porcelain -- src').toString().trim() !== '';
    return dirty ? `${head} with uncommitted changes in src/` : head;
  } catch {
    return 'unknown';
  }
}

export default section;
