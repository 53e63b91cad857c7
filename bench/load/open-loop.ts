/**
 * Reports sent on a fixed schedule, whether or not the earlier ones were
 * answered, as a fleet of agents sends them (an open loop: a slow server
 * gets more requests in flight, not fewer requests). Latency counts from the
 * moment a report was due, so time spent queued behind a slow answer is
 * part of it.
 */
import { Agent, request } from 'node:http';
import type { Recorder } from './recorder.js';

/** What to send, and how. */
export interface OpenLoopOptions {
  url: string;
  headers: Record<string, string>;
  /** The next report's body. */
  body: () => string;
  /** Reports per second. */
  rate: number;
  seconds: number;
  /** Keep-alive connections at most; reports beyond them wait (and count as in flight). */
  connections: number;
}

/** Sends for `seconds`, then waits for the answers still due; resolves with the most reports that were in flight at once. */
export async function openLoop(recorder: Recorder, options: OpenLoopOptions): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const { hostname, port } = new URL(options.url);
  const gapMs = 1000 / options.rate;
  const total = Math.floor(options.seconds * options.rate);
  let sent = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let settle: (() => void) | undefined;
  const send = (dueAt: number): void => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const body = options.body();
    const done = (status: number, bytes: number): void => {
      if (status === 0) recorder.fail();
      else recorder.record(status, bytes, performance.now() - dueAt);
      if (--inFlight === 0) settle?.();
    };
    const req = request(
      {
        hostname,
        port,
        path: '/api/report',
        method: 'POST',
        agent,
        timeout: 60_000,
        headers: { ...options.headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => done(res.statusCode ?? 0, bytes));
        res.on('error', () => done(0, 0));
      },
    );
    req.on('error', () => done(0, 0));
    req.on('timeout', () => req.destroy(new Error('report timeout')));
    req.end(body);
  };
  const started = performance.now();
  recorder.start();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor((performance.now() - started) / gapMs) + 1);
      while (sent < due) send(started + sent++ * gapMs);
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  if (inFlight > 0)
    await new Promise<void>((resolve) => {
      settle = resolve;
    });
  recorder.stop();
  agent.destroy();
  return maxInFlight;
}
