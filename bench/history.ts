/**
 * History: storage per host per day in steady state (and the disk a
 * 1,000-host fleet at a 10 s interval needs at default retention), ingest
 * rate with history on vs off in the same run, and query latency with
 * 1,000 hosts stored. Hosts are the fleet of bench/fleet.ts.
 */
import { normalizeReport, type NormalizedReport } from '../src/contract/index.js';
import { encodeFloats } from '../src/history/codec.js';
import { DEFAULT_TIERS_SPEC, parseTiers } from '../src/history/tiers.js';
import { buildApp } from '../src/server/app.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import type { BenchSection } from './run.js';
import { hostAlias, hostReport } from './fleet.js';

const DAY = 86_400;
const INTERVAL = 10;
const FLEET = 1000;
const log = (text: string) => process.stderr.write(`${text}\n`);

function normalized(i: number, ms: number): NormalizedReport {
  const r = normalizeReport(hostReport(i, undefined, new Date(ms).toISOString()));
  if (Array.isArray(r)) throw new Error('fleet report does not normalize');
  return r;
}

/** A report of host i at time ms; CPU and GPU numbers move so rows differ. */
function at(base: NormalizedReport, ms: number, k: number): NormalizedReport {
  return { ...base, timestamp: new Date(ms).toISOString(), cpu: { ...base.cpu, percent: (k * 7) % 100 } };
}

async function storage(hosts: number): Promise<{ perHostDay: number; table: string[] }> {
  const dir = tempDir();
  const store = new SqliteStore({ dataDir: dir.path, synchronous: 'NORMAL' });
  const start = Date.parse('2026-01-05T00:00:00Z');
  const bases = Array.from({ length: hosts }, (_, i) => normalized(i, start));
  log(`storage: ${hosts} hosts × 1 day at ${INTERVAL} s`);
  for (let s = 0; s < DAY; s += INTERVAL) {
    const ms = start + s * 1000;
    await Promise.all(bases.map((b, i) => store.ingest(at(b, ms, s / INTERVAL + i), ms)));
  }
  const now = start + (DAY + 60) * 1000;
  while (await store.historyMaintenance(now));
  const db = store.db;
  const pages = new Map(db.prepare<[], { name: string; bytes: number }>('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all().map((r) => [r.name, r.bytes]));
  const rawRows = (db.prepare('SELECT count(*) AS n FROM history_raw').get() as { n: number }).n;
  const rawPerRow = (pages.get('history_raw') ?? 0) / rawRows;
  // Rollup rows of all tiers share one table; its pages are apportioned to tiers by payload bytes.
  const tiers = db.prepare<[], { tier: number; n: number; payload: number }>(`SELECT tier, count(*) AS n,
    sum(length(avg) + length(max) + coalesce(length(cnt), 0) + coalesce(length(procs), 0) + 16) AS payload
    FROM history_rollup GROUP BY tier ORDER BY tier`).all();
  const totalPayload = tiers.reduce((s, t) => s + t.payload, 0);
  const rollupBytes = pages.get('history_rollup') ?? 0;
  const config = parseTiers(DEFAULT_TIERS_SPEC);
  const rows = [`| tier | rows per host per day | bytes per row | bytes per host per day | kept (days) | bytes per host at full retention |`, '|---|---:|---:|---:|---:|---:|'];
  let steady = 0;
  let perDay = 0;
  for (const tier of config) {
    const perRow = tier.width === 0 ? rawPerRow : (rollupBytes * (tiers.find((t) => t.tier === tier.width)?.payload ?? 0) / totalPayload)
      / (tiers.find((t) => t.tier === tier.width)?.n ?? 1);
    const rowsPerDay = tier.width === 0 ? DAY / INTERVAL : DAY / tier.width;
    const dayBytes = perRow * rowsPerDay;
    const days = tier.retention / DAY;
    perDay += dayBytes;
    steady += dayBytes * days;
    rows.push(`| ${tier.name} | ${rowsPerDay} | ${perRow.toFixed(0)} | ${mb(dayBytes)} | ${days} | ${mb(dayBytes * days)} |`);
  }
  await store.close();
  dir.remove();
  rows.push('', `Written per host per day: **${mb(perDay)}**. Held per host in steady state (every tier full): **${mb(steady)}**.`,
    `For ${FLEET.toLocaleString('en')} hosts at a ${INTERVAL} s interval: **${(steady * FLEET / 1e9).toFixed(1)} GB** of history at default retention (target: under 10 GB).`);
  return { perHostDay: perDay, table: rows };
}

async function ingestRate(hosts: number, rounds: number, perRound: number): Promise<string[]> {
  const results: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const bases = Array.from({ length: hosts }, (_, i) => normalized(i, Date.now()));
  for (let round = 0; round < rounds; round++) {
    for (const mode of ['off', 'on'] as const) {
      const dir = tempDir();
      const store = new SqliteStore({ dataDir: dir.path, history: { enabled: mode === 'on' } });
      const started = performance.now();
      for (let sent = 0; sent < perRound; sent += hosts) {
        const ms = Date.now();
        await Promise.all(bases.map((b, i) => store.ingest(at(b, ms, sent + i), ms)));
      }
      const rate = perRound / ((performance.now() - started) / 1000);
      results[mode].push(rate);
      log(`ingest history ${mode}: ${rate.toFixed(0)} reports/s`);
      await store.close();
      dir.remove();
    }
  }
  const best = (xs: number[]) => Math.max(...xs);
  const ratio = best(results.on) / best(results.off);
  return [
    `Store ingest (group commit, SQLITE_SYNCHRONOUS=FULL), ${hosts} hosts reporting together, ${perRound.toLocaleString('en')} reports per round, best of ${rounds} alternating rounds:`,
    '',
    '| history | reports/s |', '|---|---:|',
    `| off (HISTORY_ENABLED=false) | ${best(results.off).toFixed(0)} |`,
    `| on | ${best(results.on).toFixed(0)} |`,
    '', `With history: **${(ratio * 100).toFixed(0)}%** of the rate without (target: at least 80%).`,
  ];
}

async function queries(hosts: number, samples: number): Promise<string[]> {
  const dir = tempDir();
  const store = new SqliteStore({ dataDir: dir.path, synchronous: 'NORMAL' });
  const nowMs = Date.parse('2026-03-01T00:00:00Z');
  const now = nowMs / 1000;
  log(`queries: filling ${hosts} hosts with 24 h raw and 30 days of rollups`);
  for (let i = 0; i < hosts; i++) await store.ingest(normalized(i, nowMs - 1000), nowMs);
  const layouts = store.db.prepare<[], { host_id: number; layout: number; vals: Buffer; procs: Buffer | null }>(
    'SELECT host_id, layout, vals, procs FROM history_raw').all();
  const raw = store.db.prepare('INSERT OR REPLACE INTO history_raw (host_id, t, layout, vals, procs) VALUES (?, ?, ?, ?, ?)');
  const rollup = store.db.prepare('INSERT OR REPLACE INTO history_rollup (host_id, tier, t, layout, n, avg, max, cnt, procs) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)');
  for (const row of layouts) {
    const width = row.vals.length / 4;
    const variants = Array.from({ length: 8 }, (_, v) => encodeFloats(Array.from({ length: width }, (_, k) => (k * 13 + v * 7) % 100)));
    store.db.transaction(() => {
      for (let t = now - DAY; t < now; t += INTERVAL) raw.run(row.host_id, t, row.layout, variants[(t / INTERVAL) % 8]!, row.procs);
      for (let t = now - 30 * DAY; t < now; t += 900) rollup.run(row.host_id, 900, t, row.layout, 90, variants[t % 8]!, variants[(t + 1) % 8]!);
      for (let t = now - 30 * DAY; t < now; t += 3600) rollup.run(row.host_id, 3600, t, row.layout, 360, variants[t % 8]!, variants[(t + 3) % 8]!);
    })();
  }
  const { app } = await buildApp({ store, apiKey: 'bench-key-0123456789', staleThresholdSeconds: 300, corsOrigins: '*', bodyLimit: 1 << 21, now: () => nowMs });
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
    let body: { tier: string; timestamps: number[] } | undefined;
    for (let k = 0; k < samples + 3; k++) {
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url });
      if (k >= 3) times.push(performance.now() - started);
      body = res.json();
    }
    times.sort((a, b) => a - b);
    rows.push(`| ${label} | ${body!.tier} | ${body!.timestamps.length} | ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms | ${times[Math.floor(times.length * 0.95)]!.toFixed(1)} ms |`);
  }
  await app.close();
  await store.close();
  dir.remove();
  return [`${hosts.toLocaleString('en')} hosts stored; one GPU host asked for ${metrics}, through the HTTP handler (inject), ${samples} runs each (target: each under 50 ms):`, '', ...rows];
}

const section: BenchSection = {
  title: 'History',
  async run({ quick }) {
    const store = await storage(quick ? 8 : 40);
    const ingest = await ingestRate(200, quick ? 2 : 3, quick ? 4_000 : 20_000);
    const query = await queries(quick ? 100 : FLEET, quick ? 10 : 30);
    return [
      `### Storage (fleet of bench/fleet.ts: every host 4 disks and 20 containers, a quarter 8-GPU boxes)`, '',
      ...store.table, '', '### Ingest with and without history', '', ...ingest, '', '### Query latency', '', ...query,
    ].join('\n');
  },
};
export default section;

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}
