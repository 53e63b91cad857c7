/**
 * Issue 13: a client asking the heaviest valid history query in a loop (a
 * day of all 87 series of an 8-GPU host) must not starve ingest. A real
 * server on a seeded data directory takes reports as fast as it can, alone
 * and beside the looping client, in turns; ingest beside it must keep at
 * least half its rate alone, measured in the same run.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { abusePhases, phaseName, seedHistory } from '../../bench/history-heavy.js';
import { runLoad } from '../../bench/load/run-load.js';
import type { PhaseResult } from '../../bench/load/plan.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const KEY = 'e2e-key-0123456789abcdef';
let server: ServerProcess;
let removeDir: () => void;
beforeAll(async () => {
  const dir = tempDir();
  removeDir = dir.remove;
  await seedHistory(dir.path);
  // NORMAL: ingest is then bound by CPU rather than by fsync, the case where a busy event loop shows most.
  server = await startServer({ DATA_DIR: dir.path, API_KEY: KEY, LOG_LEVEL: 'warn', SQLITE_SYNCHRONOUS: 'NORMAL' });
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  removeDir?.();
});

it('keeps at least half the ingest rate while a client loops the heaviest history query', async () => {
  const result = await runLoad(
    {
      url: server.url,
      apiKey: KEY,
      hosts: 100,
      serverPid: server.child.pid!,
      phases: abusePhases({ clients: [1], rounds: 2, seconds: 4, connections: 16 }),
    },
    120_000,
  );
  const phases = (name: string): PhaseResult[] => result.phases.filter((p) => p.name === name);
  const reports = (list: PhaseResult[]) => list.reduce((n, p) => n + p.ingest!.requests, 0);
  const alone = phases(phaseName(0));
  const beside = phases(phaseName(1));
  for (const p of [...alone, ...beside]) expect(p.ingest!.failures, p.name).toBe(0);
  // The query really ran, and is the heavy one: every answer about a megabyte, none refused.
  const queries = beside.map((p) => p.looping!);
  expect(queries.reduce((n, q) => n + q.requests, 0)).toBeGreaterThan(0);
  for (const q of queries) {
    expect(q.failures).toBe(0);
    if (q.requests > 0) expect(q.meanResponseBytes).toBeGreaterThan(500_000);
  }
  const ratio = reports(beside) / reports(alone);
  expect(
    ratio,
    `ingest beside the looping query: ${(ratio * 100).toFixed(0)}% of the rate alone`,
  ).toBeGreaterThanOrEqual(0.5);
}, 90_000);
