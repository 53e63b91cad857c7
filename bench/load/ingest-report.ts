/**
 * Turns the ingest section's measurements into BENCHMARKS.md tables, with
 * the targets and whether they are met. Each figure in the tables is the
 * best of the rounds (the least disturbed by anything else on the machine);
 * targets are judged on ratios within rounds (see perRound).
 */
import type { LoadResult, Measured } from './plan.js';
import type { TargetKind } from './targets.js';

/** One server, one fleet size, one round. */
export interface Cell {
  hosts: number;
  kind: TargetKind;
  round: number;
  result: LoadResult;
  peakRssMiB: number;
}

/** How the run was made, for the notes. */
export interface RunInfo {
  rounds: number;
  quick: boolean;
  ingestConnections: number;
  loadAtStart: number;
  build: string;
}

const NAMES: Record<TargetKind, string> = {
  fleetwatch: '**Fleetwatch**',
  'fleetwatch-no-history': 'Fleetwatch, `HISTORY_ENABLED=false`',
  'framework-floor': 'framework floor (Fastify and the Report schema, in memory)',
  ceiling: 'bare-Node ceiling',
  model: 'model of the original (Node, in memory)',
};
/** Status at rest may take at most this many times the ceiling's p50 (every request now passes Fastify's hooks). */
const STATUS_LIMIT = 1.2;
/** Ingest must reach at least this share of the ceiling's rate (validation and durable storage included). */
const INGEST_SHARE = 0.45;

type Pick = 'ingest' | 'status at rest' | 'status while reporting';

/** A cell's measurement of `phase`: its ingest side for the ingest phase, its status side otherwise. */
function measuredIn(cell: Cell, phase: Pick): Measured | undefined {
  return cell.result.phases.find((p) => p.name === phase)?.[phase === 'ingest' ? 'ingest' : 'status'];
}

/** What a phase is compared on: reports per second for ingest (more is better), p50 ms for status (less is). */
const figure = (phase: Pick, m: Measured): number => (phase === 'ingest' ? m.perSecond : m.p50);

function best(cells: Cell[], hosts: number, kind: TargetKind, phase: Pick): Measured | undefined {
  const found = cells
    .filter((c) => c.hosts === hosts && c.kind === kind)
    .map((c) => measuredIn(c, phase))
    .filter((m): m is Measured => m !== undefined);
  const better = phase === 'ingest' ? -1 : 1;
  return found.sort((a, b) => better * (figure(phase, a) - figure(phase, b)))[0];
}

/**
 * The ratio `of / to` in each round where both ran, and its median. Within a
 * round the servers are measured seconds apart, each alone (the others
 * frozen), while a whole section takes minutes on a machine whose speed
 * drifts: a ratio within a round compares like with like better than best
 * with best.
 */
function perRound(
  cells: Cell[],
  hosts: number,
  of: TargetKind,
  to: TargetKind,
  phase: Pick,
): { ratios: number[]; median: number } | undefined {
  const measured = (kind: TargetKind, round: number): Measured | undefined => {
    const cell = cells.find((c) => c.hosts === hosts && c.kind === kind && c.round === round);
    return cell && measuredIn(cell, phase);
  };
  const rounds = [...new Set(cells.map((c) => c.round))].sort((a, b) => a - b);
  const ratios = rounds.flatMap((round) => {
    const [a, b] = [measured(of, round), measured(to, round)];
    return a && b ? [figure(phase, a) / figure(phase, b)] : [];
  });
  if (ratios.length === 0) return undefined;
  const sorted = [...ratios].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return { ratios, median: sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2 };
}

const percents = (r: { ratios: number[] }): string => r.ratios.map((x) => `${(x * 100).toFixed(0)}%`).join(', ');
/** A median that a verdict judges, with one decimal: rounded to a whole percent, 44.9% would read as 45% beside "NOT met". */
const judgedPercent = (median: number): string => `${(median * 100).toFixed(1)}%`;

const ms = (v: number | null): string =>
  v === null || !Number.isFinite(v) ? '–' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0);
const ratio = (v: number): string => `${v.toFixed(2)}×`;

export function ingestMarkdown(cells: Cell[], info: RunInfo): string {
  const sizes = [...new Set(cells.map((c) => c.hosts))];
  const kinds: TargetKind[] = ['fleetwatch', 'fleetwatch-no-history', 'framework-floor', 'ceiling', 'model'];
  const lines: string[] = [];
  const verdicts: string[] = [];
  const floors: string[] = [];
  const historyVerdicts: string[] = [];
  const failures = cells
    .flatMap((c) => c.result.phases.flatMap((p) => [p.ingest, p.status]))
    .reduce((n, m) => n + (m?.failures ?? 0), 0);

  lines.push(
    '### Ingest: `POST /api/report`, as fast as answered',
    '',
    `${info.ingestConnections} keep-alive connections, round-robin over the fleet, each report stamped at send time.`,
    '',
    '| hosts | server | reports/s | p50 ms | p99 ms | vs ceiling (rate) | peak RSS MiB |',
    '|---:|---|---:|---:|---:|---:|---:|',
  );
  for (const hosts of sizes) {
    const ceiling = best(cells, hosts, 'ceiling', 'ingest');
    for (const kind of kinds) {
      const m = best(cells, hosts, kind, 'ingest');
      if (!m) continue;
      const rss = Math.max(...cells.filter((c) => c.hosts === hosts && c.kind === kind).map((c) => c.peakRssMiB));
      lines.push(
        `| ${hosts.toLocaleString('en')} | ${NAMES[kind]} | ${m.perSecond.toFixed(0)} | ${ms(m.p50)} | ${ms(m.p99)} | ${ceiling ? ratio(m.perSecond / ceiling.perSecond) : '–'} | ${rss.toFixed(0)} |`,
      );
      const share = kind === 'fleetwatch' ? perRound(cells, hosts, 'fleetwatch', 'ceiling', 'ingest') : undefined;
      if (share && ceiling) {
        verdicts.push(
          `- Ingest at ${hosts.toLocaleString('en')} hosts ≥ ${INGEST_SHARE * 100}% of the ceiling's rate (with validation and durable storage): **${share.median >= INGEST_SHARE ? 'met' : 'NOT met'}** (median of the rounds' ratios ${judgedPercent(share.median)}; rounds ${percents(share)}; best against best ${((m.perSecond / ceiling.perSecond) * 100).toFixed(0)}%).`,
        );
      }
      const kept =
        kind === 'fleetwatch' ? perRound(cells, hosts, 'fleetwatch', 'fleetwatch-no-history', 'ingest') : undefined;
      if (kept) {
        historyVerdicts.push(
          `- Issue 5: ingest with history at ${hosts.toLocaleString('en')} hosts ≥ 80% of the rate without it: **${kept.median >= 0.8 ? 'met' : 'NOT met'}** (median of the rounds' ratios ${judgedPercent(kept.median)}; rounds ${percents(kept)}).`,
        );
      }
    }
  }

  for (const hosts of sizes) {
    const floor = perRound(cells, hosts, 'framework-floor', 'ceiling', 'ingest');
    const own = perRound(cells, hosts, 'fleetwatch', 'framework-floor', 'ingest');
    const at = `${hosts.toLocaleString('en')} hosts`;
    if (floor)
      floors.push(`${at}: floor ${(floor.median * 100).toFixed(0)}% of the ceiling (rounds ${percents(floor)})`);
    if (own) floors.push(`${at}: Fleetwatch ${(own.median * 100).toFixed(0)}% of the floor (rounds ${percents(own)})`);
  }

  for (const phase of ['status at rest', 'status while reporting'] as const) {
    lines.push(
      '',
      phase === 'status at rest'
        ? '### `GET /api/status`, fleet at rest: every host reported once, nothing else happening (one dashboard polling the servers in turn, 25 ms apart)'
        : '### `GET /api/status` while every host reports once a minute (one dashboard polling back to back)',
      '',
      '| hosts | server | GETs/s | p50 ms | p99 ms | body KiB | vs ceiling (p50) |',
      '|---:|---|---:|---:|---:|---:|---:|',
    );
    for (const hosts of sizes) {
      const ceiling = best(cells, hosts, 'ceiling', phase);
      for (const kind of kinds) {
        const m = best(cells, hosts, kind, phase);
        if (!m) continue;
        lines.push(
          `| ${hosts.toLocaleString('en')} | ${NAMES[kind]} | ${m.perSecond.toFixed(1)} | ${ms(m.p50)} | ${ms(m.p99)} | ${(m.meanResponseBytes / 1024).toFixed(0)} | ${ceiling ? ratio(m.p50 / ceiling.p50) : '–'} |`,
        );
        const slower =
          kind === 'fleetwatch' && phase === 'status at rest' && hosts === 1000
            ? perRound(cells, hosts, 'fleetwatch', 'ceiling', phase)
            : undefined;
        if (slower && ceiling) {
          verdicts.push(
            `- \`/api/status\` for 1,000 hosts within ${STATUS_LIMIT}× the ceiling's p50: **${slower.median <= STATUS_LIMIT ? 'met' : 'NOT met'}** (median of the rounds' ratios ${ratio(slower.median)} the ceiling's p50; rounds ${slower.ratios.map(ratio).join(', ')}; best against best ${ratio(m.p50 / ceiling.p50)}).`,
          );
        }
      }
    }
  }

  return [
    '**Targets**',
    '',
    ...verdicts,
    ...historyVerdicts,
    '',
    ...(floors.length > 0
      ? [
          `**Where the distance lies** (medians of the rounds' ratios): ${floors.join('; ')}. The floor is Fastify with the`,
          "same schemas and nothing else, so its distance to the ceiling is the framework's, and Fleetwatch's distance to the",
          'floor is its own work (the API key, the checks, storage, history and the read model).',
          '',
        ]
      : []),
    ...(failures > 0
      ? [`**Warning: ${failures} requests failed (non-2xx or socket errors); these figures are not valid.**`, '']
      : []),
    ...lines,
    '',
    '**How it was measured.** Each server runs as its own process on 127.0.0.1, and so does the load generator',
    '(autocannon, keep-alive), all on the same machine. Fleetwatch is the build in `dist/` (' + info.build + '),',
    'with a fresh `DATA_DIR`, `SQLITE_SYNCHRONOUS=FULL` and one worker: a report is acknowledged only after its',
    'transaction is fsynced. The fleet (`bench/fleet.ts`): every host has 20 containers and 4 disks, a quarter',
    'have 8 GPUs with one process each (about 4.5 KB and 7.8 KB of JSON per report). Each host reports once before',
    'measuring; each server answers unmeasured polls before the status phases and unmeasured reports before each ingest',
    'slice, so that none is timed while its code is still being compiled. Ratios compare with the ceiling measured in the same run.',
    'Fleetwatch runs history maintenance (rollup, compaction, retention) on a thread of its own; the `HISTORY_ENABLED=false` row is the same build writing no history',
    '(measured for ingest only), which is what the history target compares with.',
    '',
    `**Taken in turns.** All five servers run at once, each with its own copy of the fleet, and are measured in ${info.rounds} round${info.rounds > 1 ? 's' : ''}.`,
    'In each round, one dashboard polls the servers in turn, one GET to each, once all of them have been idle for half a second',
    '(under 2% of a core): "at rest". The GETs are 25 ms apart and the turn runs forwards and backwards in alternation, so that',
    'no server always comes right after the model of the original, whose GET takes 20 ms of CPU and leaves garbage to collect. Then each server gets one ingest slice alone, the others frozen (SIGSTOP) so that none takes',
    "CPU from it, each slice starting once its server is idle; the next server's slice follows a few seconds later, in an order",
    "that rotates from round to round. The targets are judged on the median of the ratios within rounds: the machine's speed",
    "drifts over minutes (the same build's rate has varied by a third between runs an hour apart), and servers measured seconds",
    'apart see the same machine. Figures in the tables are the best round of each server. The at-rest rounds come first,',
    'before any ingest (whose history Fleetwatch rolls up for a while afterwards). "While reporting" is one longer measurement',
    'per server after the ingest rounds, the others frozen. Every server counts hosts as up for an hour',
    '(`STALE_THRESHOLD_SECONDS=3600`), so that no fleet goes down halfway through a run.',
    `Load average when the section started: ${info.loadAtStart.toFixed(1)} on ${'this'} machine; other work running at the same time adds noise.`,
    '',
    '- **Ceiling** (`bench/baselines/ceiling-server.ts`): bare `node:http`; a report is only `JSON.parse`d into a Map',
    '  (no key check, no validation, nothing on disk); `/api/status` serves a cached serialization (UTF-8 bytes), rebuilt when a report came in.',
    "- **Framework floor** (`bench/baselines/framework-floor-server.ts`): Fastify with Fleetwatch's Report and answer schemas",
    '  and Ajv options, the parsed body put into a Map: no API key, no normalizing, nothing on disk. Ingest only.',
    '- **Model of the original** (`bench/baselines/original-model-server.ts`): a *model*, not the FastAPI original',
    '  (Python packages cannot be installed here). It keeps the original design (in-memory dict, nothing durable,',
    '  the whole status serialized on every GET) on bare Node without pydantic validation, so the real original would',
    '  be slower than this row.',
  ].join('\n');
}
