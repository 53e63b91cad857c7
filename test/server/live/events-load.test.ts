/**
 * 1,500 open /api/events streams, each reading what it is sent, must leave
 * report ingest at least half its rate without them: measured on one real
 * server, in alternating slices of the same run, as a ratio. (Before each
 * event was serialized and written once per stream, ingest fell to under 1%
 * of its rate.) The caps are raised so the streams are allowed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BENCH_API_KEY } from '../../../bench/load/targets.js';
import { ingestWithStreams, keptShare } from '../../../bench/load/stream-clients.js';
import { startServer, type ServerProcess } from '../../helpers/server-process.js';
import { tempDir } from '../../helpers/temp-dir.js';

const STREAMS = 1500;
const dir = tempDir('fleetwatch-events-load-');
let server: ServerProcess;

beforeAll(async () => {
  server = await startServer({
    DATA_DIR: dir.path,
    API_KEY: BENCH_API_KEY,
    LOG_LEVEL: 'warn',
    EVENTS_MAX_STREAMS: String(STREAMS),
    EVENTS_MAX_STREAMS_PER_CLIENT: String(STREAMS),
    // Hosts stay up for the whole test: no `down` events in the middle of a slice.
    STALE_THRESHOLD_SECONDS: '3600',
  });
});

afterAll(async () => {
  await server?.stop();
  dir.remove();
});

it(`keeps at least half of the ingest rate with ${STREAMS} live-event streams open`, async () => {
  const slices = await ingestWithStreams({
    url: server.url,
    apiKey: BENCH_API_KEY,
    serverPid: server.child.pid!,
    hosts: 1000,
    streams: STREAMS,
    rounds: 3,
    seconds: 3,
    connections: 64,
    log: (line) => process.stderr.write(`events-load: ${line}\n`),
  });
  for (const slice of slices) expect(slice.ingest.failures).toBe(0);
  const loaded = slices.filter((s) => s.streams > 0);
  // The streams were live the whole time: every one stayed open and was sent the reports' events.
  for (const slice of loaded) {
    expect(slice.closedByServer).toBe(0);
    expect(slice.streamBytesPerSecond).toBeGreaterThan(0);
  }
  const share = keptShare(slices);
  process.stderr.write(
    `events-load: ingest with ${STREAMS} streams at ${(share * 100).toFixed(0)}% of its rate without them\n`,
  );
  expect(share).toBeGreaterThanOrEqual(0.5);
}, 90_000);
