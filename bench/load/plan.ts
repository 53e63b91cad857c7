/**
 * What the benchmark section asks of the load process, and what it answers.
 * The load process runs apart from the server (its own event loop), sends
 * only to 127.0.0.1, and every phase is bounded in time or count.
 */

import type { UsageSample } from './server-usage.js';

/** One measured stretch of load. */
export interface Phase {
  /** Label in progress lines and results. */
  name: string;
  /** ingest: POST /api/report round-robin over the fleet; status: GET /api/status; both: the two at once. */
  kind: 'ingest' | 'status' | 'both';
  /** Keep-alive connections for the ingest load. */
  connections: number;
  /** Seconds the phase lasts at most (a status GET in flight is still awaited). */
  seconds: number;
  /** Status GETs after which the phase ends early (status and both). */
  statusRequests?: number;
  /** Ingest rate cap, reports/s across all connections (omitted: as fast as answered). */
  ingestRate?: number;
  /**
   * Ingest in an open loop instead (bench/load/open-loop.ts): this many
   * reports/s on a fixed schedule over up to `connections` connections,
   * whether or not earlier ones were answered; latency counts from when each
   * was due.
   */
  openLoopRate?: number;
  /** Status and both: milliseconds from the start of one status GET to the next (omitted: back to back). */
  statusEveryMs?: number;
  /** Sample the server's CPU and RSS (serverPid) every this many ms during the phase. */
  sampleEveryMs?: number;
  /** Status only: more servers' base URLs, polled in turn with the plan's (one GET to each, round after round). */
  inTurnWith?: string[];
  /** Measured or only warming up (not reported). */
  warmup?: boolean;
  /**
   * Wait first until the server process (and its peers, see peerPids) is idle
   * (under 2% of a core over half a second, at most 60 s): "at rest" means no
   * background work either.
   */
  quiesceFirst?: boolean;
  /**
   * Beside the phase's other load: `clients` keep-alive connections, each
   * asking GET `path` again as soon as its last answer is in (clients
   * looping a query), for the phase's seconds.
   */
  looping?: { path: string; clients: number };
}

/** The whole job of one load process against one server. */
export interface LoadPlan {
  /** Base URL of the server; must be http://127.0.0.1:<port>. */
  url: string;
  apiKey: string;
  /** Simulated hosts; each is sent once before the phases so the fleet is complete. */
  hosts: number;
  /** False: an earlier load process already sent every host once; go straight to the phases. */
  seed?: boolean;
  phases: Phase[];
  /** The server's process id (same machine), for quiesceFirst. */
  serverPid?: number;
  /** Process ids of the servers polled in turn with it (inTurnWith), which quiesceFirst waits for as well. */
  peerPids?: number[];
}

/** Latency and rate of one kind of request in one phase. */
export interface Measured {
  requests: number;
  /** Answered requests per second. */
  perSecond: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  max: number;
  /** Non-2xx answers and socket errors/timeouts; any of these fails the benchmark. */
  failures: number;
  /** Mean response body size, bytes. */
  meanResponseBytes: number;
}

/** Results of one phase. */
export interface PhaseResult {
  name: string;
  ingest?: Measured;
  status?: Measured;
  /** The status GETs of each server in the phase's inTurnWith, in that order. */
  statusInTurn?: Measured[];
  /** The looping GETs (Phase.looping). */
  looping?: Measured;
  /** Seconds spent waiting for the server to go idle first (quiesceFirst). */
  quiesceSeconds?: number;
  /** Open-loop ingest: the most reports in flight at once. */
  maxInFlight?: number;
  /** The server's CPU and RSS over the phase (sampleEveryMs), and its mean CPU, % of one core. */
  usage?: { samples: UsageSample[]; meanCpuPct: number };
}

/** What the load process prints on stdout as JSON. */
export interface LoadResult {
  /** Seconds the initial one-report-per-host seeding took (0 when this process did not seed). */
  seedSeconds: number;
  /** Hosts in the server's /api/status after seeding (must equal plan.hosts); 0 when this process did not seed. */
  hostsSeen: number;
  phases: PhaseResult[];
}
