/**
 * Many dashboards at once: open /api/events streams that read everything
 * they are sent, as a browser's EventSource does, and ingest measured with
 * and without them on the same server, in alternating slices (no streams,
 * streams, no streams, ...), so the ratio compares moments of the same run.
 * Used by the events-abuse benchmark and its test; 127.0.0.1 only.
 */
import { request, type ClientRequest } from 'node:http';
import { runLoad } from './run-load.js';
import type { Measured, Phase } from './plan.js';

/** Open event streams; each counts the bytes it has received. */
export interface StreamClients {
  /** Status code each stream was answered with. */
  statuses: number[];
  /** Bytes each stream has received so far. */
  received: number[];
  /** Streams the server has closed since they opened. */
  closedByServer: () => number;
  close: () => void;
}

/** Opens `count` streams to `url`/api/events, each on its own connection, `batch` at a time. */
export async function openStreams(url: string, count: number, batch = 100): Promise<StreamClients> {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error('stream clients only connect to 127.0.0.1');
  const requests: ClientRequest[] = [];
  const statuses: number[] = [];
  const received: number[] = [];
  let closing = false;
  let closed = 0;
  const open = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      received[i] = 0;
      const req = request(`${url}/api/events`, { agent: false }, (res) => {
        statuses[i] = res.statusCode ?? 0;
        res.on('data', (chunk: Buffer) => {
          received[i]! += chunk.length;
        });
        res.on('close', () => {
          if (!closing) closed++;
        });
        res.on('error', () => {});
        resolve();
      });
      req.on('error', (error) => {
        if (!closing) reject(error);
      });
      requests.push(req);
      req.end();
    });
  for (let i = 0; i < count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => open(i + j)));
  }
  return {
    statuses,
    received,
    closedByServer: () => closed,
    close: () => {
      closing = true;
      for (const req of requests) req.destroy();
    },
  };
}

/** One slice of ingest with or without open streams. */
export interface Slice {
  streams: number;
  ingest: Measured;
  streamBytesPerSecond: number;
  closedByServer: number;
}

/** What to run: `rounds` × (a slice without streams, then one with `streams` open). */
export interface StreamsLoadPlan {
  url: string;
  apiKey: string;
  serverPid: number;
  /** Simulated hosts (bench/fleet.ts); the first slice seeds them. */
  hosts: number;
  streams: number;
  rounds: number;
  /** Measured seconds per slice (each after a second of unmeasured warm-up). */
  seconds: number;
  /** Keep-alive connections sending reports as fast as they are answered. */
  connections: number;
  log?: (line: string) => void;
}

/** Ingest in alternating slices without and with the streams open; returns the slices in the order run. */
export async function ingestWithStreams(plan: StreamsLoadPlan): Promise<Slice[]> {
  const slices: Slice[] = [];
  const phases: Phase[] = [
    { name: 'warm-up', kind: 'ingest', connections: plan.connections, seconds: 1, warmup: true },
    { name: 'ingest', kind: 'ingest', connections: plan.connections, seconds: plan.seconds },
  ];
  const ingest = async (seed: boolean): Promise<Measured> => {
    const result = await runLoad(
      { url: plan.url, apiKey: plan.apiKey, hosts: plan.hosts, seed, serverPid: plan.serverPid, phases },
      120_000,
    );
    return result.phases[0]!.ingest!;
  };
  for (let round = 0; round < plan.rounds; round++) {
    const alone = await ingest(round === 0);
    slices.push({ streams: 0, ingest: alone, streamBytesPerSecond: 0, closedByServer: 0 });
    plan.log?.(`round ${round + 1}: ${alone.perSecond.toFixed(0)} reports/s without streams; opening ${plan.streams}`);
    const clients = await openStreams(plan.url, plan.streams);
    try {
      const refused = clients.statuses.filter((s) => s !== 200).length;
      if (refused > 0)
        throw new Error(`${refused} of ${plan.streams} streams were refused; raise EVENTS_MAX_STREAMS(_PER_CLIENT)`);
      const bytesBefore = clients.received.reduce((a, b) => a + b, 0);
      const started = performance.now();
      const loaded = await ingest(false);
      const bytes = clients.received.reduce((a, b) => a + b, 0) - bytesBefore;
      slices.push({
        streams: plan.streams,
        ingest: loaded,
        closedByServer: clients.closedByServer(),
        streamBytesPerSecond: bytes / ((performance.now() - started) / 1000),
      });
      plan.log?.(
        `round ${round + 1}: ${loaded.perSecond.toFixed(0)} reports/s with ${plan.streams} streams (${(bytes / 1e6).toFixed(0)} MB sent to them)`,
      );
    } finally {
      clients.close();
    }
  }
  return slices;
}

/** Ingest rate with the streams open over the rate without them, from the sums over all rounds. */
export function keptShare(slices: Slice[]): number {
  const sum = (withStreams: boolean): number =>
    slices.filter((s) => s.streams > 0 === withStreams).reduce((a, s) => a + s.ingest.perSecond, 0);
  return sum(true) / sum(false);
}
