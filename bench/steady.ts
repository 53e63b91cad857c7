/**
 * `npm run bench -- steady`: a steady fleet rather than a burst. 10,000
 * simulated hosts (bench/fleet.ts) each report every 10 s, in an open loop
 * (1,000 reports/s on a fixed schedule, answered or not, as agents send
 * them), for 10 minutes, while a dashboard reads /api/status every 5 s, as
 * the original React dashboard does. The server's CPU and RSS are sampled
 * from /proc every 5 s. The baseline, in the same run on the same server, is
 * the same load without the dashboard. `--quick`: 1 minute, baseline 30 s.
 */
import { loadavg } from 'node:os';
import type { BenchSection } from './section.js';
import type { PhaseResult } from './load/plan.js';
import { runLoad } from './load/run-load.js';
import type { UsageSample } from './load/server-usage.js';
import { BENCH_API_KEY, startTarget } from './load/targets.js';

const HOSTS = 10_000;
const REPORT_EVERY_S = 10;
const STATUS_EVERY_MS = 5000;
const SAMPLE_EVERY_MS = 5000;
/** Connections the simulated agents share at most; reports beyond them wait, and count as in flight. */
const CONNECTIONS = 256;

const TARGETS = { reportP99Ms: 100, rssSpread: 0.1, cpuPct: 50 };

const section: BenchSection = {
  title: 'A steady fleet: 10,000 hosts every 10 s, with a dashboard polling',
  async run({ quick }) {
    const load = loadavg()[0]!.toFixed(1);
    const seconds = quick ? 60 : 600;
    const baselineSeconds = quick ? 30 : 180;
    /** RSS counts as flat when it stays within 10% after this many seconds. */
    const settleSeconds = quick ? 20 : 120;
    const rowEvery = quick ? 10 : 30;
    const rate = HOSTS / REPORT_EVERY_S;
    const target = await startTarget('fleetwatch', process.env.BENCH_CPU_PROF_DIR);
    try {
      const steady = {
        kind: 'both' as const,
        connections: CONNECTIONS,
        openLoopRate: rate,
        sampleEveryMs: SAMPLE_EVERY_MS,
      };
      const polled = (
        await runLoad(
          {
            url: target.url,
            apiKey: BENCH_API_KEY,
            hosts: HOSTS,
            serverPid: target.pid,
            phases: [{ ...steady, name: 'steady, dashboard polling', seconds, statusEveryMs: STATUS_EVERY_MS }],
          },
          (seconds + 300) * 1000,
        )
      ).phases[0]!;
      const alone = (
        await runLoad(
          {
            url: target.url,
            apiKey: BENCH_API_KEY,
            hosts: HOSTS,
            serverPid: target.pid,
            seed: false,
            phases: [{ ...steady, kind: 'ingest', name: 'steady, no dashboard', seconds: baselineSeconds }],
          },
          (baselineSeconds + 300) * 1000,
        )
      ).phases[0]!;

      const errors = (r: PhaseResult): number => (r.ingest?.failures ?? 0) + (r.status?.failures ?? 0);
      const settled = polled.usage!.samples.filter((s) => s.t >= settleSeconds).map((s) => s.rssMiB);
      const spread = settled.length > 0 ? Math.max(...settled) / Math.min(...settled) - 1 : NaN;
      const p99 = polled.ingest!.p99;
      const cpu = polled.usage!.meanCpuPct;
      const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
      return [
        `${HOSTS.toLocaleString('en')} simulated hosts (a quarter GPU boxes with 8 GPUs; 20 containers and 4 disks each), each reporting every ${REPORT_EVERY_S} s:`,
        `${rate.toLocaleString('en')} reports/s in an open loop (sent on schedule whether or not earlier ones were answered, over up to ${CONNECTIONS} keep-alive`,
        `connections; latency counts from when a report was due), for ${seconds} s, with a dashboard reading /api/status every ${STATUS_EVERY_MS / 1000} s.`,
        `Baseline, in the same run on the same server: the same load without the dashboard, for ${baselineSeconds} s. One server (default durability),`,
        `the load generator in a process of its own on the same machine. Server CPU (% of one core) and RSS from /proc every ${SAMPLE_EVERY_MS / 1000} s.`,
        `Load average when the section started: ${load}.`,
        '',
        '| run | reports/s | report p50 ms | report p99 ms | most in flight | status p50 ms | status p99 ms | status MB | CPU % of a core | RSS MiB first → last | errors |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
        row('dashboard polling', polled, errors(polled)),
        row('no dashboard (baseline)', alone, errors(alone)),
        '',
        `Ratios to the baseline: report p99 ${(p99 / alone.ingest!.p99).toFixed(2)}×, CPU ${(cpu / alone.usage!.meanCpuPct).toFixed(2)}×.`,
        '',
        `RSS and CPU while the dashboard polls, every ${rowEvery} s: ${sparkline(polled.usage!.samples.map((s) => s.rssMiB))} (RSS, every ${SAMPLE_EVERY_MS / 1000} s)`,
        '',
        '| s | RSS MiB | CPU % of a core |',
        '|---:|---:|---:|',
        ...curve(polled.usage!.samples, rowEvery),
        '',
        `- Report p99 under ${TARGETS.reportP99Ms} ms: **${verdict(p99 < TARGETS.reportP99Ms)}** (${p99.toFixed(1)} ms).`,
        `- RSS flat within ${TARGETS.rssSpread * 100}% after the first ${settleSeconds} s: **${verdict(spread <= TARGETS.rssSpread)}** (${(spread * 100).toFixed(1)}%: ${Math.min(...settled).toFixed(0)} to ${Math.max(...settled).toFixed(0)} MiB).`,
        `- 0 errors: **${verdict(errors(polled) === 0)}** (${errors(polled)}).`,
        // One decimal: the verdict compares the unrounded mean, and a mean just under the target printed as "50%" beside "met" read as a contradiction.
        `- CPU under ${TARGETS.cpuPct}% of one core: **${verdict(cpu < TARGETS.cpuPct)}** (${cpu.toFixed(1)}%).`,
      ].join('\n');
    } finally {
      await target.stop();
    }
  },
};

function row(label: string, r: PhaseResult, errors: number): string {
  const i = r.ingest!;
  const s = r.status;
  const rss = r.usage!.samples.map((x) => x.rssMiB);
  const cells = [
    label,
    i.perSecond.toFixed(0),
    i.p50.toFixed(1),
    i.p99.toFixed(1),
    String(r.maxInFlight ?? ''),
    s ? s.p50.toFixed(0) : '–',
    s ? s.p99.toFixed(0) : '–',
    s ? (s.meanResponseBytes / 1e6).toFixed(1) : '–',
    r.usage!.meanCpuPct.toFixed(0),
    rss.length > 0 ? `${rss[0]!.toFixed(0)} → ${rss.at(-1)!.toFixed(0)}` : '–',
    String(errors),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** One table row per `every` seconds of samples. */
function curve(samples: UsageSample[], every: number): string[] {
  const rows: string[] = [];
  let next = every;
  for (const s of samples) {
    if (s.t + 0.5 < next) continue;
    rows.push(`| ${Math.round(s.t)} | ${s.rssMiB.toFixed(0)} | ${s.cpuPct.toFixed(0)} |`);
    next += every;
  }
  return rows;
}

/** Values as one line of block characters, lowest to highest. */
function sparkline(values: number[]): string {
  const blocks = '▁▂▃▄▅▆▇█';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return `\`${values.map((v) => blocks[hi > lo ? Math.round(((v - lo) / (hi - lo)) * 7) : 0]).join('')}\``;
}

export default section;
