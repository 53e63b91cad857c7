/**
 * `npm run bench -- ingest`: Fleetwatch's report ingest and /api/status
 * against three baselines run the same way, in the same run: the bare-Node
 * ceiling, the framework floor (Fastify and the Report schema alone) and a
 * Node model of the original in-memory design. Each server is
 * a separate process, the load generator another (bench/load/). Sizes: 1,000
 * and 10,000 simulated hosts (bench/fleet.ts).
 */
import { execSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { BenchSection } from './section.js';
import { ingestMarkdown, type Cell } from './load/ingest-report.js';
import type { Phase } from './load/plan.js';
import { runLoad } from './load/run-load.js';
import { BENCH_API_KEY, startTarget, type Target, type TargetKind } from './load/targets.js';

const SIZES = [1000, 10_000];
const TARGETS: TargetKind[] = ['ceiling', 'model', 'fleetwatch', 'fleetwatch-no-history', 'framework-floor'];
/** Keep-alive connections sending reports as fast as they are answered. */
const INGEST_CONNECTIONS = 64;

/** Phases are short slices, taken in turns: in each round every server gets one slice of each kind. */
interface Slices {
  rounds: number;
  ingestSeconds: number;
  statusGets: number;
}

/** The rows measured for ingest only (their status is not what they are there to show). */
const servesStatus = (kind: TargetKind): boolean => kind !== 'fleetwatch-no-history' && kind !== 'framework-floor';

/**
 * Before anything is measured: a dashboard has been polling a running server for a while, so every server
 * answers some polls unmeasured first (no server is timed while its code is still being compiled; a framework
 * has more of it to warm up).
 */
function warmUp(kind: TargetKind, slices: Slices): Phase[] {
  return servesStatus(kind)
    ? [
        {
          name: 'status warm-up',
          kind: 'status',
          connections: 0,
          statusRequests: slices.statusGets,
          seconds: 10,
          warmup: true,
        },
      ]
    : [];
}

/**
 * At rest: every host has reported once and nothing else happens (no reports, no background work), on any
 * server. The servers are polled in turn, one GET to each, so that each one's latency is measured over the
 * same moments. As many polls first, unmeasured: each round is a new load process, whose HTTP client is cold.
 */
const atRest = (slices: Slices, others: Target[]): Phase[] => [
  {
    name: 'status warm-up',
    kind: 'status',
    connections: 0,
    statusRequests: slices.statusGets,
    seconds: 10,
    warmup: true,
    inTurnWith: others.map((t) => t.url),
  },
  {
    name: 'status at rest',
    kind: 'status',
    connections: 0,
    statusRequests: slices.statusGets,
    seconds: 15,
    quiesceFirst: true,
    inTurnWith: others.map((t) => t.url),
  },
];

/**
 * One ingest slice: once the server is idle (Fleetwatch may still be rolling up history from its last slice),
 * a second unmeasured (connections open, code warm), then as fast as answered.
 */
const ingest = (slices: Slices): Phase[] => [
  { name: 'warm-up', kind: 'ingest', connections: INGEST_CONNECTIONS, seconds: 1, warmup: true, quiesceFirst: true },
  { name: 'ingest', kind: 'ingest', connections: INGEST_CONNECTIONS, seconds: slices.ingestSeconds },
];

/** The real pattern: every host reports once a minute while a dashboard polls. */
const whileReporting = (hosts: number, quick: boolean): Phase[] => [
  {
    name: 'status while reporting',
    kind: 'both',
    connections: 8,
    ingestRate: Math.ceil(hosts / 60),
    statusRequests: (hosts >= 10_000 ? 40 : 400) / (quick ? 5 : 1),
    seconds: quick ? 5 : 15,
  },
];

const section: BenchSection = {
  title: 'Ingest and /api/status: Fleetwatch vs the bare-Node ceiling',
  async run({ quick }) {
    const cells: Cell[] = [];
    const load = loadavg()[0]!;
    const rounds = quick ? 1 : 5;
    for (const hosts of SIZES) {
      const statusGets = (hosts >= 10_000 ? 10 : 100) / (quick ? 5 : 1);
      cells.push(...(await measureSize(hosts, { rounds, ingestSeconds: quick ? 2 : 4, statusGets }, quick)));
    }
    return ingestMarkdown(cells, {
      rounds,
      quick,
      ingestConnections: INGEST_CONNECTIONS,
      loadAtStart: load,
      build: buildId(),
    });
  },
};

/** Servers started and not stopped yet: an interrupted run resumes (they may be frozen) and stops them. */
const running = new Set<number>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const pid of running) {
      try {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    process.exit(130);
  });
}

/**
 * Every server runs at once, each seeded with the same fleet, so that they
 * are compared under the same conditions of a machine whose speed drifts
 * over minutes. Status at rest polls them in turn, one GET each. Each ingest
 * slice loads one server while the others are frozen (SIGSTOP), so that none
 * takes CPU from it, and the next slice loads the next server a few seconds
 * later. The order rotates every round.
 */
async function measureSize(hosts: number, slices: Slices, quick: boolean): Promise<Cell[]> {
  const targets: Target[] = [];
  const cells = new Map<string, Cell>();
  const cellOf = (kind: TargetKind, round: number): Cell => {
    const key = `${kind}/${round}`;
    let cell = cells.get(key);
    if (!cell)
      cells.set(
        key,
        (cell = { hosts, kind, round, result: { seedSeconds: 0, hostsSeen: 0, phases: [] }, peakRssMiB: 0 }),
      );
    return cell;
  };
  /** Runs `phases` against one server alone and files what they measured under `round`. */
  const measure = async (target: Target, round: number, phases: Phase[], seed = false): Promise<void> => {
    process.stderr.write(
      `ingest: ${hosts} hosts, ${target.kind}, ${seed ? 'seeding' : `round ${round + 1}/${slices.rounds}: ${phases.map((p) => p.name).join(', ')}`}\n`,
    );
    const others = targets.filter((t) => t !== target);
    for (const other of others) process.kill(other.pid, 'SIGSTOP');
    try {
      const result = await runLoad(
        { url: target.url, apiKey: BENCH_API_KEY, hosts, seed, phases, serverPid: target.pid },
        300_000,
      );
      const cell = cellOf(target.kind, round);
      if (seed) Object.assign(cell.result, { seedSeconds: result.seedSeconds, hostsSeen: result.hostsSeen });
      cell.result.phases.push(...result.phases);
    } finally {
      for (const other of others) process.kill(other.pid, 'SIGCONT');
    }
  };
  /** `list` rotated by `round`: each round starts with the next server. */
  const inTurn = (round: number, list: Target[]): Target[] => list.map((_, i) => list[(i + round) % list.length]!);
  try {
    for (const kind of TARGETS) {
      targets.push(await startTarget(kind, process.env.BENCH_CPU_PROF_DIR));
      running.add(targets.at(-1)!.pid);
    }
    for (const target of targets) await measure(target, 0, warmUp(target.kind, slices), true);
    // At rest first: measured before any ingest burst, whose history Fleetwatch may roll up long after it.
    const statusTargets = targets.filter((t) => servesStatus(t.kind));
    for (let round = 0; round < slices.rounds; round++) {
      const [first, ...others] = inTurn(round, statusTargets);
      process.stderr.write(
        `ingest: ${hosts} hosts, status at rest, round ${round + 1}/${slices.rounds}: ${[first!, ...others].map((t) => t.kind).join(', ')} in turn\n`,
      );
      const result = await runLoad(
        {
          url: first!.url,
          serverPid: first!.pid,
          peerPids: others.map((t) => t.pid),
          apiKey: BENCH_API_KEY,
          hosts,
          seed: false,
          phases: atRest(slices, others),
        },
        300_000,
      );
      const [phase] = result.phases;
      cellOf(first!.kind, round).result.phases.push({ name: phase!.name, status: phase!.status! });
      others.forEach((t, i) =>
        cellOf(t.kind, round).result.phases.push({ name: phase!.name, status: phase!.statusInTurn![i]! }),
      );
    }
    for (let round = 0; round < slices.rounds; round++) {
      for (const target of inTurn(round, targets)) await measure(target, round, ingest(slices));
    }
    for (const target of statusTargets) await measure(target, 0, whileReporting(hosts, quick));
    for (const target of targets) {
      const peak = target.peakRssMiB();
      for (const cell of cells.values()) if (cell.kind === target.kind) cell.peakRssMiB = peak;
    }
  } finally {
    for (const target of targets) process.kill(target.pid, 'SIGCONT');
    for (const target of targets) {
      await target.stop();
      running.delete(target.pid);
    }
  }
  return [...cells.values()];
}

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
