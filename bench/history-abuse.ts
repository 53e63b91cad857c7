/**
 * `npm run bench -- history-abuse`: report ingest while clients loop the
 * heaviest valid history query (bench/history-heavy.ts), against ingest
 * alone, in the same run. Issue 13's target: ingest keeps at least half its
 * rate. One Fleetwatch server (the build in dist/, default settings) on a
 * data directory seeded with a day of history; the load generator of
 * bench/load/ in a process of its own.
 */
import { loadavg } from 'node:os';
import type { BenchSection } from './section.js';
import { abusePhases, HEAVIEST_QUERY, phaseName, seedHistory } from './history-heavy.js';
import type { Measured, PhaseResult } from './load/plan.js';
import { runLoad } from './load/run-load.js';
import { BENCH_API_KEY, startTarget } from './load/targets.js';

/** Clients looping the query in the measured slices. */
const CLIENTS = [1, 5];
const HOSTS = 1000;
/** Keep-alive connections sending reports as fast as they are answered, as in the ingest section. */
const CONNECTIONS = 64;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(v < 100 ? 1 : 0) : '–');

const section: BenchSection = {
  title: 'History queries beside ingest',
  async run({ quick }) {
    const rounds = quick ? 1 : 5;
    const seconds = quick ? 3 : 8;
    const load = loadavg()[0]!;
    process.stderr.write('history-abuse: seeding a day of history, starting the server\n');
    const target = await startTarget('fleetwatch', undefined, { prepare: (dir) => seedHistory(dir) });
    let phases: PhaseResult[];
    let peakRss: number;
    try {
      const result = await runLoad(
        {
          url: target.url,
          apiKey: BENCH_API_KEY,
          hosts: HOSTS,
          serverPid: target.pid,
          phases: abusePhases({ clients: CLIENTS, rounds, seconds, connections: CONNECTIONS }),
        },
        900_000,
      );
      phases = result.phases;
      peakRss = target.peakRssMiB();
    } finally {
      await target.stop();
    }
    const perRound = 1 + CLIENTS.length;
    const round = (r: number, clients: number): PhaseResult => phases.filter((p) => p.name === phaseName(clients))[r]!;
    const best = (clients: number): Measured =>
      phases
        .filter((p) => p.name === phaseName(clients))
        .map((p) => p.ingest!)
        .sort((a, b) => b.perSecond - a.perSecond)[0]!;
    const ratios = (clients: number): number[] =>
      Array.from(
        { length: phases.length / perRound },
        (_, r) => round(r, clients).ingest!.perSecond / round(r, 0).ingest!.perSecond,
      );
    const failures = phases.reduce((n, p) => n + p.ingest!.failures + (p.looping?.failures ?? 0), 0);

    const rows = [
      '| load | reports/s (best round) | ingest p99 ms | vs alone (median of rounds) | rounds | queries answered/s | query p50 ms | query p99 ms | answer KiB |',
      '|---|---:|---:|---:|---|---:|---:|---:|---:|',
    ];
    const verdicts: string[] = [];
    for (const clients of [0, ...CLIENTS]) {
      const m = best(clients);
      const queries = phases
        .filter((p) => p.name === phaseName(clients))
        .map((p) => p.looping)
        .filter((q): q is Measured => q !== undefined);
      const q = queries.sort((a, b) => b.perSecond - a.perSecond)[0];
      const r = clients === 0 ? undefined : ratios(clients);
      rows.push(
        `| ${clients === 0 ? 'ingest alone' : `ingest + ${clients} client${clients > 1 ? 's' : ''} looping the query`} | ${m.perSecond.toFixed(0)} | ${ms(m.p99)} | ` +
          `${r ? pct(median(r)) : '–'} | ${r ? r.map(pct).join(', ') : '–'} | ${q ? q.perSecond.toFixed(1) : '–'} | ${q ? ms(q.p50) : '–'} | ${q ? ms(q.p99) : '–'} | ${q ? (q.meanResponseBytes / 1024).toFixed(0) : '–'} |`,
      );
      if (r)
        verdicts.push(
          `- Ingest with ${clients} client${clients > 1 ? 's' : ''} looping the heaviest history query ≥ 50% of its rate alone: **${median(r) >= 0.5 ? 'met' : 'NOT met'}** (median of the rounds' ratios ${pct(median(r))}).`,
        );
    }
    return [
      '**Targets** (issue 13)',
      '',
      ...verdicts,
      '',
      ...(failures > 0
        ? [`**Warning: ${failures} requests failed (non-2xx or socket errors); these figures are not valid.**`, '']
        : []),
      ...rows,
      '',
      `The query: \`GET ${HEAVIEST_QUERY.replace(/metrics=[^&]*/, 'metrics=<all 15 metrics>')}\`, a day of all 87 series of an 8-GPU host`,
      'with 20 containers and 4 disks (8,640 reports folded into about 1,000 points), stored as the rollup job leaves it',
      '(`fill` in bench/history.ts), each client asking again as soon as it has its answer.',
      `One Fleetwatch server (the build in \`dist/\`, default settings: \`SQLITE_SYNCHRONOUS=FULL\`, \`HISTORY_QUERY_CONCURRENCY=2\`), ${HOSTS.toLocaleString('en')} hosts`,
      `reporting over ${CONNECTIONS} keep-alive connections as fast as answered, from a load generator of its own on 127.0.0.1 (bench/load/).`,
      `Slices of ${seconds} s in turns, ${rounds} round${rounds > 1 ? 's' : ''}: ingest alone, then beside ${CLIENTS.join(' and ')} looping clients; ratios compare slices of the same round.`,
      `Peak RSS of the server: ${peakRss.toFixed(0)} MiB. Load average when the section started: ${load.toFixed(1)}.`,
    ].join('\n');
  },
};
export default section;
