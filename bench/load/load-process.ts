/**
 * The load generator, run as its own process (`node --import tsx
 * bench/load/load-process.ts '<LoadPlan JSON>'`) so that it never shares the
 * server's event loop. It seeds the fleet (one report per host) unless told
 * an earlier one did, then runs the plan's phases with autocannon over
 * keep-alive connections, and prints a LoadResult as JSON on stdout.
 * Progress goes to stderr.
 */
import { Agent, get } from 'node:http';
import autocannon from 'autocannon';
import { fleetReports, reportTemplate } from '../fleet.js';
import { openLoop } from './open-loop.js';
import { IN_TURN_GAP_MS, inTurn } from './poll-order.js';
import { measure, type Recorder } from './recorder.js';
import { cpuTicks, sampleUsage } from './server-usage.js';
import type { LoadPlan, LoadResult, Phase, PhaseResult } from './plan.js';

const plan = JSON.parse(process.argv[2] ?? '') as LoadPlan;
if (new URL(plan.url).hostname !== '127.0.0.1') throw new Error('the load generator only targets 127.0.0.1');
/** A long phase says how far it is this often, seconds. */
const PROGRESS_EVERY_S = 60;

const log = (line: string): void => {
  process.stderr.write(`  [load ${plan.hosts} hosts] ${line}\n`);
};

const templates = fleetReports(plan.hosts).map(reportTemplate);
const headers = { authorization: `Bearer ${plan.apiKey}`, 'content-type': 'application/json' };
let next = 0;
/** The next host's report, round-robin over the fleet, stamped now (as an agent would). */
const nextBody = (): string => {
  const t = templates[next++ % templates.length]!;
  return t.before + new Date().toISOString() + t.after;
};

const result: LoadResult = { seedSeconds: 0, hostsSeen: 0, phases: [] };
if (plan.seed !== false) {
  const seedStart = performance.now();
  await seed(32);
  result.seedSeconds = (performance.now() - seedStart) / 1000;
  const status = await fetch(`${plan.url}/api/status`);
  result.hostsSeen = ((await status.json()) as { results: unknown[] }).results.length;
  log(`seeded ${plan.hosts} hosts in ${result.seedSeconds.toFixed(1)} s; /api/status lists ${result.hostsSeen}`);
  if (result.hostsSeen !== plan.hosts)
    throw new Error(`expected ${plan.hosts} hosts in /api/status, got ${result.hostsSeen}`);
}

for (const phase of plan.phases) {
  const measured = await runPhase(phase);
  log(`${phase.name}: ${describe(measured)}`);
  if (!phase.warmup) result.phases.push(measured);
}
process.stdout.write(`${JSON.stringify(result)}\n`);

/** Sends every host's report once, `concurrency` at a time; any non-200 is fatal. */
async function seed(concurrency: number): Promise<void> {
  let i = 0;
  const worker = async (): Promise<void> => {
    while (i < templates.length) {
      i++;
      const res = await fetch(`${plan.url}/api/report`, { method: 'POST', headers, body: nextBody() });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`seeding: ${res.status} ${text.slice(0, 500)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function runPhase(phase: Phase): Promise<PhaseResult> {
  const out: PhaseResult = { name: phase.name };
  const pids = [plan.serverPid, ...(plan.peerPids ?? [])].filter((pid): pid is number => pid !== undefined);
  if (phase.quiesceFirst && pids.length > 0) {
    out.quiesceSeconds = await quiesce(pids);
    log(`${phase.name}: ${pids.length > 1 ? 'servers' : 'server'} idle after ${out.quiesceSeconds.toFixed(1)} s`);
  }
  const ingest = phase.kind !== 'status' ? measure() : undefined;
  const polled = [plan.url, ...(phase.kind === 'status' ? (phase.inTurnWith ?? []) : [])];
  const polls = phase.kind !== 'ingest' ? polled.map(() => measure()) : undefined;
  const loops = phase.looping ? measure() : undefined;
  const loopsRun = loops ? loopGets(phase.looping!, loops, phase.seconds) : Promise.resolve();
  const usage =
    phase.sampleEveryMs && plan.serverPid !== undefined ? sampleUsage(plan.serverPid, phase.sampleEveryMs) : undefined;
  const progress = phase.seconds >= PROGRESS_EVERY_S ? reportProgress(phase, ingest, polls?.[0]) : undefined;
  let stopIngest = (): void => {};
  const ingestRun =
    ingest && phase.openLoopRate
      ? openLoop(ingest, {
          url: plan.url,
          headers,
          body: nextBody,
          rate: phase.openLoopRate,
          seconds: phase.seconds,
          connections: phase.connections,
        }).then((most) => {
          out.maxInFlight = most;
        })
      : ingest
        ? cannon(
            ingest,
            {
              connections: phase.connections,
              ...(phase.ingestRate ? { overallRate: phase.ingestRate } : {}),
              requests: [
                { method: 'POST', path: '/api/report', headers, setupRequest: (req) => ({ ...req, body: nextBody() }) },
              ],
            },
            phase.seconds,
            (stop) => {
              stopIngest = stop;
            },
          )
        : Promise.resolve();
  if (polls) {
    await pollStatus(polled, polls, phase.statusRequests ?? Infinity, phase.seconds, phase.statusEveryMs ?? 0);
    stopIngest(); // "both": reports flow exactly as long as the dashboard polls
  }
  await ingestRun;
  await loopsRun;
  if (progress) clearInterval(progress);
  if (usage) out.usage = usage.stop();
  if (ingest) out.ingest = ingest.summary();
  if (loops) out.looping = loops.summary();
  if (polls) {
    out.status = polls[0]!.summary();
    if (polls.length > 1) out.statusInTurn = polls.slice(1).map((p) => p.summary());
  }
  return out;
}

/** Logs a long phase's progress every PROGRESS_EVERY_S: time gone, answers and failures so far. */
function reportProgress(phase: Phase, ingest: Recorder | undefined, status: Recorder | undefined): NodeJS.Timeout {
  const started = performance.now();
  const counted = (what: string, r: Recorder | undefined): string[] => {
    if (!r) return [];
    const { answered, failures } = r.counts();
    return [`${what} ${answered.toLocaleString('en')} answered, ${failures} failed`];
  };
  return setInterval(() => {
    const gone = Math.round((performance.now() - started) / 1000);
    log(
      `${phase.name}: ${gone} of ${phase.seconds} s; ${[...counted('reports', ingest), ...counted('status', status)].join('; ')}`,
    );
  }, PROGRESS_EVERY_S * 1000);
}

function cannon(
  recorder: Recorder,
  options: Partial<autocannon.Options>,
  seconds: number,
  onStart: (stop: () => void) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: plan.url, duration: seconds, timeout: 60, pipelining: 1, ...options },
      (error) => {
        recorder.stop();
        if (error) reject(error);
        else resolve();
      },
    );
    recorder.start();
    instance.on('response', (_client, statusCode, resBytes, responseTime) =>
      recorder.record(statusCode, resBytes, responseTime),
    );
    instance.on('reqError', () => recorder.fail());
    onStart(() => instance.stop());
  });
}

/**
 * One dashboard polling /api/status back to back over one keep-alive
 * connection per server; with several servers, one GET to each in turn, so
 * that all are measured over the same moments. In turn, GETs are
 * IN_TURN_GAP_MS apart, and the turn runs forwards and backwards in
 * alternation: the model of the original spends about 20 ms of CPU and
 * leaves megabytes of garbage on each GET, which would otherwise weigh on
 * the server polled right after it, always the same one. Latency is to the
 * body's last byte. node:http's native parser is used here because
 * autocannon's JavaScript parser, not the server, would dominate the time of
 * a multi-megabyte body.
 */
async function pollStatus(
  urls: string[],
  recorders: Recorder[],
  count: number,
  seconds: number,
  everyMs: number,
): Promise<void> {
  const agents = urls.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const deadline = performance.now() + seconds * 1000;
  for (const recorder of recorders) recorder.start();
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const next = performance.now() + everyMs;
    for (const j of inTurn(urls.length, i)) {
      const url = urls[j]!;
      const started = performance.now();
      const { status, bytes } = await getBytes(`${url}/api/status`, agents[j]!).catch(() => ({ status: 0, bytes: 0 }));
      recorders[j]!.record(status, bytes, performance.now() - started);
      if (urls.length > 1) await new Promise((r) => setTimeout(r, IN_TURN_GAP_MS));
    }
    // A dashboard on a timer: the next GET at its time, or the phase's end if that comes first.
    const wait = Math.min(next, deadline) - performance.now();
    if (everyMs > 0 && wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  for (const recorder of recorders) recorder.stop();
  for (const agent of agents) agent.destroy();
}

/**
 * Clients looping a GET over keep-alive connections until `seconds` have
 * passed (the request in flight then is still awaited), with node:http's
 * native parser like pollStatus: the answers may be megabytes.
 */
async function loopGets(looping: NonNullable<Phase['looping']>, recorder: Recorder, seconds: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: looping.clients });
  const deadline = performance.now() + seconds * 1000;
  recorder.start();
  await Promise.all(
    Array.from({ length: looping.clients }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const { status, bytes } = await getBytes(`${plan.url}${looping.path}`, agent).catch(() => ({
          status: 0,
          bytes: 0,
        }));
        recorder.record(status, bytes, performance.now() - started);
        if (status === 0) await new Promise((r) => setTimeout(r, 100)); // a refused connection would otherwise spin
      }
    }),
  );
  recorder.stop();
  agent.destroy();
}

function getBytes(url: string, agent: Agent): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    get(url, { agent, timeout: 120_000 }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => {
        n += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: n }));
      res.on('error', reject);
    })
      .on('error', reject)
      .on('timeout', function (this: { destroy: (e: Error) => void }) {
        this.destroy(new Error('GET timeout'));
      });
  });
}

/** Waits until every one of `pids` used under 2% of a core over half a second (60 s at most); returns the seconds waited. */
async function quiesce(pids: number[]): Promise<number> {
  const started = performance.now();
  for (;;) {
    const before = pids.map(cpuTicks);
    await new Promise((r) => setTimeout(r, 500));
    if (pids.every((pid, i) => cpuTicks(pid) - before[i]! <= 1) || performance.now() - started > 60_000)
      return (performance.now() - started) / 1000;
  }
}

function describe(r: PhaseResult): string {
  const one = (label: string, m: PhaseResult['ingest']): string =>
    m
      ? `${label} ${m.perSecond.toFixed(0)}/s p50 ${m.p50.toFixed(2)} ms p99 ${m.p99.toFixed(2)} ms${m.failures ? ` FAILURES ${m.failures}` : ''}`
      : '';
  return [one('ingest', r.ingest), one('status', r.status), one('looping GETs', r.looping)].filter(Boolean).join('; ');
}
