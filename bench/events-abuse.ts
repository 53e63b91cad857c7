/**
 * `npm run bench -- events-abuse`: report ingest while 1,500 dashboards hold
 * /api/events streams open, against ingest without them, on the same server
 * in the same run (alternating slices, bench/load/stream-clients.ts). Each
 * stream reads everything it is sent, as a browser does. The fleet is the
 * ingest section's 1,000 hosts (bench/fleet.ts); the caps are raised so the
 * streams are allowed. Target: ingest keeps at least half its rate.
 */
import { loadavg } from 'node:os';
import type { BenchSection } from './section.js';
import { ingestWithStreams, keptShare } from './load/stream-clients.js';
import { BENCH_API_KEY, startTarget } from './load/targets.js';

const STREAMS = 1500;
const HOSTS = 1000;
const CONNECTIONS = 64;

const section: BenchSection = {
  title: 'Ingest with 1,500 open live-event streams',
  async run({ quick }) {
    const load = loadavg()[0]!.toFixed(1);
    const rounds = quick ? 1 : 5;
    const seconds = quick ? 2 : 5;
    const target = await startTarget('fleetwatch', undefined, {
      env: { EVENTS_MAX_STREAMS: String(STREAMS), EVENTS_MAX_STREAMS_PER_CLIENT: String(STREAMS) },
    });
    try {
      const slices = await ingestWithStreams({
        url: target.url,
        apiKey: BENCH_API_KEY,
        serverPid: target.pid,
        hosts: HOSTS,
        streams: STREAMS,
        rounds,
        seconds,
        connections: CONNECTIONS,
        log: (line) => process.stderr.write(`events-abuse: ${line}\n`),
      });
      const failures = slices.reduce((n, s) => n + s.ingest.failures, 0);
      const closed = slices.reduce((n, s) => n + s.closedByServer, 0);
      const share = keptShare(slices);
      const rows = [];
      for (let round = 0; round < rounds; round++) {
        const [alone, loaded] = [slices[2 * round]!, slices[2 * round + 1]!];
        rows.push(
          `| ${round + 1} | ${alone.ingest.perSecond.toFixed(0)} | ${loaded.ingest.perSecond.toFixed(0)} | ${((loaded.ingest.perSecond / alone.ingest.perSecond) * 100).toFixed(0)}% | ${loaded.ingest.p99.toFixed(1)} | ${(loaded.streamBytesPerSecond / 1e6).toFixed(0)} |`,
        );
      }
      return [
        `${HOSTS.toLocaleString('en')} simulated hosts, ${CONNECTIONS} keep-alive connections sending reports as fast as they are answered, for ${seconds} s per slice`,
        `(after 1 s unmeasured), on one server (default durability); slices without streams and with ${STREAMS.toLocaleString('en')} open streams alternate.`,
        'Each stream reads everything it is sent, from the same process as the others (on this machine, as the server and the load generator).',
        `Load average when the section started: ${load}.`,
        '',
        `| round | reports/s, no streams | reports/s, ${STREAMS.toLocaleString('en')} streams | kept | p99 ms with streams | MB/s sent to the streams |`,
        '|---:|---:|---:|---:|---:|---:|',
        ...rows,
        '',
        `- Ingest with ${STREAMS.toLocaleString('en')} streams open ≥ 50% of its rate without them: **${share >= 0.5 ? 'met' : 'NOT met'}** (${(share * 100).toFixed(0)}%, sums over the rounds).`,
        `- Failed reports: ${failures}; streams closed by the server for falling behind: ${closed}.`,
      ].join('\n');
    } finally {
      await target.stop();
    }
  },
};

export default section;
