/**
 * Storage of history in steady state, from a simulated week: a quarter of
 * the hosts GPU boxes, reports every 10 s through the real ingest path, the
 * real rollup and compaction job run as time passes. Bytes per stored row of
 * each tier come from the chunks that the week produced; steady state
 * multiplies them by the rows each tier keeps at default retention.
 */
import { decodeChunk } from '../src/history/chunk-codec.js';
import { bucketStart, chunkSpan, DEFAULT_TIERS_SPEC, parseTiers } from '../src/history/tiers.js';
import { HistoryDict } from '../src/store/sqlite/history-dict.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import { reportAtTime } from './history-model.js';
import { normalized } from './history-reports.js';

const DAY = 86_400;
const WEEK = 7 * DAY;
const INTERVAL = 10;
const FLEET = 1000;
const log = (text: string) => process.stderr.write(`${text}\n`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

export async function storage(hosts: number): Promise<{ table: string[]; perHost: number }> {
  const dir = tempDir();
  const store = new SqliteStore({ dataDir: dir.path, synchronous: 'NORMAL' });
  const start = bucketStart(Date.parse('2026-01-05T00:00:00Z') / 1000, WEEK); // a 1h chunk starts here
  const end = start + WEEK + 2 * 3600;
  const bases = Array.from({ length: hosts }, (_, i) => normalized(i, start * 1000));
  log(`storage: ${hosts} hosts × 7 days at ${INTERVAL} s`);
  const ticksPerCommit = 30;
  for (let t = start; t < end; t += ticksPerCommit * INTERVAL) {
    const writes: Promise<unknown>[] = [];
    for (let k = 0; k < ticksPerCommit; k++) {
      const tt = t + k * INTERVAL;
      bases.forEach((b, i) => writes.push(store.ingest(reportAtTime(b, i, tt), tt * 1000)));
    }
    await Promise.all(writes);
    const now = (t + ticksPerCommit * INTERVAL) * 1000;
    if ((t - start) % 3600 === 0) while (await store.historyMaintenance(now));
    if ((t - start) % DAY === 0) log(`  day ${(t - start) / DAY}`);
  }
  const db = store.db;
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  // Head rows (measured now, while the last hour is not compacted yet): their payload plus 24 bytes of
  // key, index entry and record header (pages per row would overstate the few left in half-empty pages).
  const headRaw = 24 + count('SELECT avg(length(vals) + coalesce(length(procs), 0)) AS n FROM history_raw');
  const headRollup =
    24 +
    count(`SELECT avg(length(avg) + length(max) + coalesce(length(cnt), 0) + coalesce(length(procs), 0)) AS n
    FROM history_rollup`);
  while (await store.historyMaintenance(end * 1000 + 60_000));
  const pageBytes = (name: string) =>
    db.prepare<[string], { b: number | null }>('SELECT sum(pgsize) AS b FROM dbstat WHERE name = ?').get(name)?.b ?? 0;
  const dict = new HistoryDict(db);
  const chunkRows = new Map<number, { rows: number; bytes: number }>();
  let payload = 0;
  for (const c of db.prepare<[], { tier: number; data: Buffer }>('SELECT tier, data FROM history_chunk').iterate()) {
    const s = chunkRows.get(c.tier) ?? { rows: 0, bytes: 0 };
    s.rows += decodeChunk(c.data, (id) => dict.layout(id)).length;
    s.bytes += c.data.length;
    payload += c.data.length;
    chunkRows.set(c.tier, s);
  }
  // Page overhead of the chunk table (partly filled overflow pages, the index), applied to every tier.
  const overhead = (pageBytes('history_chunk') + pageBytes('history_chunk_key')) / payload;
  const fileBytes =
    (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  const tiers = parseTiers(DEFAULT_TIERS_SPEC);
  const table = [
    '| tier | rows per host per day | compacted bytes per row | bytes per host per day | kept (days) | bytes per host at full retention |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  let steady = 0;
  let perDay = 0;
  tiers.forEach((tier, k) => {
    const every = tier.width === 0 ? INTERVAL : tier.width;
    const s = chunkRows.get(tier.width) ?? { rows: 0, bytes: 0 };
    const perRow = (s.bytes / Math.max(1, s.rows)) * overhead;
    const span = chunkSpan(tier);
    const lag = tiers[k + 1]?.width ?? 0; // head rows wait for the next tier's rollup
    // Kept: the retention plus one whole chunk (chunks are dropped whole) plus up to a chunk of head rows.
    const held =
      ((tier.retention + span) / every) * perRow + ((span + lag) / every) * (tier.width === 0 ? headRaw : headRollup);
    const dayBytes = (DAY / every) * perRow;
    perDay += dayBytes;
    steady += held;
    table.push(
      `| ${tier.name} | ${DAY / every} | ${perRow.toFixed(1)} | ${mb(dayBytes)} | ${tier.retention / DAY} | ${mb(held)} |`,
    );
  });
  await store.close();
  dir.remove();
  table.push(
    '',
    `Compacted rows per tier from ${[...chunkRows.values()].reduce((a, s) => a + s.rows, 0).toLocaleString('en')} rows in chunks; chunk table page overhead ×${overhead.toFixed(2)}; head (not yet compacted) rows: raw ${headRaw.toFixed(0)} B, buckets ${headRollup.toFixed(0)} B each, counted at a full chunk span plus the next tier's width per tier.`,
    `The simulated week's whole database file: ${mb(fileBytes / hosts)} per host.`,
    '',
    `Written per host per day: **${mb(perDay)}**. Held per host in steady state (every tier full, with the slack above): **${mb(steady)}**.`,
    `For ${FLEET.toLocaleString('en')} hosts at a ${INTERVAL} s interval: **${((steady * FLEET) / 1e9).toFixed(1)} GB** of history at default retention (target: under 10 GB).`,
  );
  return { table, perHost: steady };
}
