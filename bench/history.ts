/**
 * History: storage per host in steady state (and the disk a 1,000-host
 * fleet at a 10 s interval needs at default retention), ingest rate with
 * history on vs off in the same run, and query latency with 1,000 hosts
 * stored. Hosts are the fleet of bench/fleet.ts; their values move as in
 * bench/history-model.ts.
 */
import { loadavg } from 'node:os';
import type { NormalizedReport } from '../src/contract/index.js';
import { encodeFloats } from '../src/history/codec.js';
import { sampleReport } from '../src/history/series.js';
import { bucketStart, chunkSpan, DEFAULT_TIERS_SPEC, parseTiers } from '../src/history/tiers.js';
import { buildApp } from '../src/server/app.js';
import { SqliteHistoryPort } from '../src/store/sqlite/sqlite-history-port.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import type { BenchSection } from './section.js';
import { hostAlias } from './fleet.js';
import { reportAtTime } from './history-model.js';
import { normalized } from './history-reports.js';
import { storage } from './history-storage.js';

const DAY = 86_400;
const INTERVAL = 10;
const log = (text: string) => process.stderr.write(`${text}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

export async function ingestRate(hosts: number, rounds: number, perRound: number): Promise<string[]> {
  const results: Record<'on' | 'off', number[]> = { on: [], off: [] };
  // CPU time per report too: other processes on the machine stretch wall time, much less CPU time.
  const cpu: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const bases = Array.from({ length: hosts }, (_, i) => normalized(i, Date.now()));
  const t0 = Math.floor(Date.now() / 1000) - (perRound / hosts) * INTERVAL;
  // The same reports for both modes, made before the clock starts.
  const reports: NormalizedReport[][] = [];
  for (let k = 0; k < perRound / hosts; k++) reports.push(bases.map((b, i) => reportAtTime(b, i, t0 + k * INTERVAL)));
  const loadBefore = load();
  for (let round = 0; round < rounds; round++) {
    // Alternate which mode goes first, so a slow stretch of the machine hits both alike.
    for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const dir = tempDir();
      const store = new SqliteStore({ dataDir: dir.path, history: { enabled: mode === 'on' } });
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      for (const [k, batch] of reports.entries()) {
        const ms = (t0 + k * INTERVAL) * 1000;
        await Promise.all(batch.map((r) => store.ingest(r, ms)));
      }
      const rate = perRound / ((performance.now() - started) / 1000);
      const used = process.cpuUsage(cpuStart);
      results[mode].push(rate);
      cpu[mode].push((used.user + used.system) / perRound);
      log(`ingest history ${mode}: ${rate.toFixed(0)} reports/s`);
      await store.close();
      dir.remove();
    }
  }
  const best = (xs: number[]) => Math.max(...xs);
  const least = (xs: number[]) => Math.min(...xs);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = best(results.on) / best(results.off);
  return [
    `Store ingest (group commit, SQLITE_SYNCHRONOUS=FULL), ${hosts} hosts reporting together, ${perRound.toLocaleString('en')} reports per round, ${rounds} rounds alternating which mode goes first; load average (1/5/15 min) ${loadBefore} before, ${load()} after:`,
    '',
    '| history | best reports/s | median reports/s | least CPU per report |',
    '|---|---:|---:|---:|',
    `| off (HISTORY_ENABLED=false) | ${best(results.off).toFixed(0)} | ${median(results.off).toFixed(0)} | ${least(cpu.off).toFixed(0)} µs |`,
    `| on | ${best(results.on).toFixed(0)} | ${median(results.on).toFixed(0)} | ${least(cpu.on).toFixed(0)} µs |`,
    '',
    `With history: **${(ratio * 100).toFixed(0)}%** of the rate without, best against best (median against median: ${((median(results.on) / median(results.off)) * 100).toFixed(0)}%; CPU per report: ${((least(cpu.off) / least(cpu.on)) * 100).toFixed(0)}%).`,
    '',
    'This is the store alone, without HTTP, parsing and validation, so history weighs more here than a server feels it.',
    "Issue 5's target (at least 80% of the ingest rate without history) is judged in the same benchmark as the server's ingest:",
    'see the ingest section, where the same build runs with and without `HISTORY_ENABLED` in the same run.',
  ];
}

/**
 * Stores `hosts` hosts as the job would leave them: 24 h of raw reports and
 * 30 days of 15m and 1h buckets, compacted where their span has ended, the
 * rest as head rows. Two prototype hosts (a GPU box, a plain one) are
 * written through the real code; the others get copies of their rows.
 */
export async function fill(store: SqliteStore, hosts: number, now: number): Promise<void> {
  const db = store.db;
  for (let i = 0; i < hosts; i++) await store.ingest(normalized(i, now * 1000 - 1000), now * 1000);
  db.exec('DELETE FROM history_raw');
  const port = new SqliteHistoryPort(db);
  const dict = port.dict;
  const tiers = parseTiers(DEFAULT_TIERS_SPEC);
  const id = (i: number) => dict.findHost(hostAlias(i))!;
  const raw = db.prepare(
    'INSERT OR REPLACE INTO history_raw (host_id, t, layout, vals, procs) VALUES (?, ?, ?, ?, NULL)',
  );
  const bucket = db.prepare(
    'INSERT OR REPLACE INTO history_rollup (host_id, tier, t, layout, n, avg, max, cnt, procs) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)',
  );
  for (const p of [0, 1]) {
    const base = normalized(p, now * 1000);
    const sample = (t: number) => sampleReport(reportAtTime(base, p, t));
    db.transaction(() => {
      for (let t = now - DAY; t < now; t += INTERVAL) {
        const s = sample(t);
        raw.run(id(p), t, dict.layoutId(s.keys), encodeFloats(s.values));
      }
      for (const width of [900, 3600]) {
        for (let t = now - 30 * DAY; t < now - width; t += width) {
          const s = sample(t + width / 2);
          bucket.run(
            id(p),
            width,
            t,
            dict.layoutId(s.keys),
            width / INTERVAL,
            encodeFloats(s.values),
            encodeFloats(s.values.map((v) => v * 1.1)),
          );
        }
      }
      for (const tier of tiers) {
        const span = chunkSpan(tier);
        for (let start = bucketStart(now - 30 * DAY, span); start + span <= now; start += span)
          port.compactSpan(id(p), tier, start);
      }
    })();
  }
  db.transaction(() => {
    for (let i = 2; i < hosts; i++) {
      const [to, from] = [id(i), id(i % 4 === 0 ? 0 : 1)];
      db.prepare(
        'INSERT INTO history_chunk (host_id, tier, t, data) SELECT ?, tier, t, data FROM history_chunk WHERE host_id = ?',
      ).run(to, from);
      db.prepare(
        'INSERT INTO history_raw (host_id, t, layout, vals, procs) SELECT ?, t, layout, vals, procs FROM history_raw WHERE host_id = ?',
      ).run(to, from);
      db.prepare(
        'INSERT INTO history_rollup SELECT ?, tier, t, layout, n, avg, max, cnt, procs FROM history_rollup WHERE host_id = ?',
      ).run(to, from);
    }
  })();
}

export async function queries(hosts: number, samples: number): Promise<string[]> {
  const dir = tempDir();
  const store = new SqliteStore({ dataDir: dir.path, synchronous: 'NORMAL' });
  const nowMs = Date.parse('2026-03-01T00:30:00Z');
  log(`queries: filling ${hosts} hosts with 24 h raw and 30 days of rollups`);
  await fill(store, hosts, nowMs / 1000);
  const { app } = await buildApp({
    store,
    apiKey: 'bench-key-0123456789',
    staleThresholdSeconds: 300,
    corsOrigins: '*',
    bodyLimit: 1 << 21,
    now: () => nowMs,
  });
  const alias = hostAlias(Math.floor(hosts / 2) - (Math.floor(hosts / 2) % 4)); // a GPU box
  const metrics = 'cpu,mem,load1,gpu.util,gpu.mem,disk.pct';
  const cases = [
    ['30 days at 1-hour resolution', `from=-30d&step=3600`],
    ['24 hours from the raw tier (8,640 reports read, folded to ≤1000 points)', `from=-24h`],
  ] as const;
  const rows = ['| query | tier | points | median | p95 |', '|---|---|---:|---:|---:|'];
  for (const [label, query] of cases) {
    const url = `/api/history/${alias}?metrics=${metrics}&${query}`;
    const times: number[] = [];
    let body: { tier: string; timestamps: number[]; series: Record<string, unknown[]> } | undefined;
    for (let k = 0; k < samples + 3; k++) {
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url });
      if (k >= 3) times.push(performance.now() - started);
      body = res.json();
    }
    if (Object.keys(body!.series).length < 20)
      throw new Error(`expected the GPU host's series, got ${Object.keys(body!.series).join(',')}`);
    times.sort((a, b) => a - b);
    rows.push(
      `| ${label} | ${body!.tier} | ${body!.timestamps.length} | ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms | ${times[Math.floor(times.length * 0.95)]!.toFixed(1)} ms |`,
    );
  }
  await app.close();
  await store.close();
  dir.remove();
  return [
    `${hosts.toLocaleString('en')} hosts stored (compacted chunks, the last hour of raw reports and the open spans of each tier as head rows); one GPU host asked for ${metrics}, through the HTTP handler (inject), ${samples} runs each, load average ${load()} (target: each under 50 ms):`,
    '',
    ...rows,
  ];
}

const section: BenchSection = {
  title: 'History',
  async run({ quick }) {
    const store = await storage(quick ? 4 : 8);
    const ingest = await ingestRate(200, quick ? 4 : 6, quick ? 4_000 : 20_000);
    const query = await queries(quick ? 100 : 1000, quick ? 10 : 30);
    return [
      `### Storage (fleet of bench/fleet.ts: every host 4 disks and 20 containers, a quarter 8-GPU boxes; values moving as in bench/history-model.ts)`,
      '',
      ...store.table,
      '',
      '### Ingest with and without history',
      '',
      ...ingest,
      '',
      '### Query latency',
      '',
      ...query,
    ].join('\n');
  },
};
export default section;
