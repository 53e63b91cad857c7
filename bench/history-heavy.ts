/**
 * The heaviest valid history query, and a data directory to ask it of: a
 * day of every series of an 8-GPU host with 20 containers and 4 disks
 * (host 0 of bench/fleet.ts, 87 series), stored as the rollup job leaves
 * it (fill in history.ts). Shared by the history-abuse section and its test.
 */
import { HOST_SERIES, INSTANCE_METRICS } from '../src/history/series.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { hostAlias } from './fleet.js';
import { fill } from './history.js';
import type { Phase } from './load/plan.js';

/** GET path of the query: no step, so the raw tier answers and 8,640 reports fold into about 1,000 points. */
export const HEAVIEST_QUERY = `/api/history/${hostAlias(0)}?metrics=${[...HOST_SERIES, ...INSTANCE_METRICS].join(',')}&from=-24h`;

/**
 * Writes a day of history of the fleet's first `hosts` hosts (at least 2)
 * into `dataDir`, up to now, and rolls it up, so that a server started on it
 * has no backlog of rollup work to do first.
 */
export async function seedHistory(dataDir: string, hosts = 2): Promise<void> {
  const store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
  try {
    const now = Date.now();
    await fill(store, hosts, Math.floor(now / 1000));
    while (await store.historyMaintenance(now));
  } finally {
    await store.close();
  }
}

/** Phase names: ingest alone, or beside n clients looping the query. */
export const phaseName = (clients: number): string => (clients === 0 ? 'ingest alone' : `ingest + ${clients} looping`);

/**
 * Ingest slices of `seconds` over `connections`, alone and beside each
 * number of `clients` looping the query, in turns for `rounds` rounds, so
 * that a machine whose speed drifts weighs on each alike. The server is
 * idle before the first (it may still be rolling up the seeded day).
 */
export function abusePhases(options: {
  clients: number[];
  rounds: number;
  seconds: number;
  connections: number;
}): Phase[] {
  const phases: Phase[] = [
    { name: 'warm-up', kind: 'ingest', connections: options.connections, seconds: 1, warmup: true, quiesceFirst: true },
  ];
  for (let round = 0; round < options.rounds; round++) {
    for (const clients of [0, ...options.clients]) {
      phases.push({
        name: phaseName(clients),
        kind: 'ingest',
        connections: options.connections,
        seconds: options.seconds,
        ...(clients > 0 ? { looping: { path: HEAVIEST_QUERY, clients } } : {}),
      });
    }
  }
  return phases;
}
