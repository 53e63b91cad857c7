/**
 * The embedded default store: one SQLite file in WAL mode. Several server
 * processes may open the same file (WORKERS=N); SQLite serialises their
 * writes, and a counter of changes to `hosts` (the hosts_changes table) tells
 * each one when another of them changed a host. Every write to `hosts` goes
 * through `this.writer`, whose transactions bump that counter first; a store
 * counts its own bumps, and the rest are the others'.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { NormalizedReport } from '../../contract/index.js';
import type { Tier } from '../../history/tiers.js';
import type { HistoryQuery } from '../../history/query.js';
import type { HistoryRow, ProcessAggregate, SeriesFilter } from '../../history/types.js';
import { DEFAULT_HISTORY_QUERY_LIMITS, type HistoryQueryLimits } from '../history-queries.js';
import { reportTime } from '../report-time.js';
import {
  StorageFullError,
  type HostFilter,
  type HostRecord,
  type HostVersion,
  type IngestResult,
  type Store,
  type StoreCapabilities,
} from '../store.js';
import type { MaintenanceLog } from '../../history/maintenance/maintenance-job.js';
import { GroupCommit } from './group-commit.js';
import { HistoryThreads } from './history-threads.js';
import { migrate } from './schema.js';
import { SqliteHistory, type HistoryOptions } from './sqlite-history.js';
import { SqliteMaintenance, type SqliteMaintenanceOptions } from './sqlite-maintenance.js';
import { WalSync } from './wal-sync.js';

export interface SqliteStoreOptions {
  /** Directory holding fleetwatch.db; created when missing. */
  dataDir: string;
  /** FULL: a write resolves once the WAL is flushed to disk (survives power loss); NORMAL: once committed (survives a process crash). */
  synchronous?: 'FULL' | 'NORMAL';
  /** History tiers and switches; history is on with the default tiers when omitted. */
  history?: HistoryOptions;
  /** Most memory SQLite's page cache may take, MiB (default 256; filled only as pages are used). */
  cacheMiB?: number;
  /** How history queries run (threads, queue, time limit, answer size); DEFAULT_HISTORY_QUERY_LIMITS where omitted. */
  historyQueries?: Partial<HistoryQueryLimits>;
}

/**
 * How long a report waits for others to share its transaction, ms, and how
 * many make a transaction worth beginning at once. Each transaction has a
 * fixed cost beside its reports' writes (BEGIN, COMMIT, the WAL frames of the
 * pages they all touch, the WAL flush and its kernel work), about 0.75 ms of
 * CPU with 10,000 hosts. A steady 1,000 reports/s fills a 2 ms window with
 * three or four: the steady fleet took 65% of a core; with 10 ms (about ten
 * per transaction) 49%, for 6 ms more report p50 (see "A steady fleet" in
 * BENCHMARKS.md). Under a burst a batch fills up long before its window ends
 * and begins then, so the window does not hold back a busy server.
 */
const COMMIT_WINDOW_MS = 10;
const FULL_BATCH = 32;

interface HostRow {
  alias: string;
  received_at: number;
  report_time: number;
  report: string;
}

/** The database's file name in DATA_DIR. */
export const SQLITE_FILE = 'fleetwatch.db';

export class SqliteStore implements Store {
  readonly capabilities: StoreCapabilities = { sharedAcrossProcesses: true };
  readonly db: Database.Database;
  private readonly writer: GroupCommit;
  private readonly stmt;
  private readonly history: SqliteHistory;
  private readonly walSync: WalSync | undefined;
  private readonly historyQueries: HistoryThreads;
  /** Transactions of this store that bumped hosts_changes, committed. */
  private ownHostCommits = 0;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(join(options.dataDir, SQLITE_FILE));
    this.db.pragma('journal_mode = WAL');
    // COMMIT only writes the WAL; FULL durability comes from WalSync's flush off the event loop.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('foreign_keys = ON');
    // Up to 256 MB of page cache, allocated only as pages are used. Every report rewrites its host's
    // row (a page or two) and appends history; when those pages do not fit, each write first reads
    // them back from the OS. 10,000 hosts need about 150 MB; the 2 MB default holds a few hundred.
    this.db.pragma(`cache_size = -${Math.floor((options.cacheMiB ?? 256) * 1024)}`);
    // SQLite's automatic checkpoint keeps the WAL at about this size under sustained ingest (16 MiB; see
    // "WAL size" in BENCHMARKS.md). At 4,000 pages rather than SQLite's 1,000: the hosts' pages are rewritten
    // by every report, and a checkpoint copies each page once however often it changed since the last one.
    this.db.pragma('wal_autocheckpoint = 4000');
    migrate(this.db);
    this.walSync = (options.synchronous ?? 'FULL') === 'FULL' ? new WalSync(`${this.db.name}-wal`) : undefined;
    this.history = new SqliteHistory(this.db, options.history);
    const bumpHostsChanges = this.db.prepare('UPDATE hosts_changes SET n = n + 1 WHERE id = 1');
    this.writer = new GroupCommit(this.db, {
      // Once per transaction rather than per report: readers only need to see that something changed.
      onBegin: () => {
        bumpHostsChanges.run();
      },
      // The bump above committed with it: the counter's moves that are not ours are the others' (othersChangeToken).
      onCommit: () => {
        this.ownHostCommits++;
      },
      ...(this.walSync ? { durable: () => this.walSync!.sync() } : {}),
      onRollback: () => this.history.forgetCaches(),
      windowMs: COMMIT_WINDOW_MS,
      fullBatch: FULL_BATCH,
    });
    const limits = { ...DEFAULT_HISTORY_QUERY_LIMITS, ...options.historyQueries };
    this.historyQueries = new HistoryThreads(
      { file: this.db.name, tiers: this.history.tiers, limits: { maxCells: limits.maxCells } },
      limits,
    );
    this.stmt = {
      current: this.db.prepare<[string], { report_time: number; received_at: number }>(
        'SELECT report_time, received_at FROM hosts WHERE alias = ?',
      ),
      insert: this.db.prepare(`INSERT INTO hosts (alias, seq, received_at, report_time, report)
        VALUES (@alias, (SELECT coalesce(max(seq), 0) + 1 FROM hosts), @receivedAt, @reportTime, @report)`),
      replace: this.db.prepare(`UPDATE hosts SET received_at = @receivedAt, report_time = @reportTime, report = @report
        WHERE alias = @alias`),
      touch: this.db.prepare('UPDATE hosts SET received_at = @receivedAt WHERE alias = @alias'),
      versions: this.db.prepare<[], HostVersion>(
        'SELECT alias, received_at AS receivedAt, report_time AS reportTime FROM hosts ORDER BY seq',
      ),
      get: this.db.prepare<[string], HostRow>(
        'SELECT alias, received_at, report_time, report FROM hosts WHERE alias = ?',
      ),
      // The aliases travel as one JSON array, so a batch is one statement whatever its size; j.key is the array index.
      getMany: this.db.prepare<[string], HostRow>(`SELECT h.alias, h.received_at, h.report_time, h.report
        FROM json_each(?) AS j JOIN hosts AS h ON h.alias = j.value ORDER BY j.key`),
      list: this.db
        .prepare<{ group: string | null; label: string | null }, string>(
          `SELECT alias FROM hosts
        WHERE (@group IS NULL OR json_extract(report, '$.group') = @group)
          AND (@label IS NULL OR EXISTS (SELECT 1 FROM json_each(report, '$.labels') WHERE value = @label))
        ORDER BY seq`,
        )
        .pluck(),
      count: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM hosts'),
      // Prepared once: othersChangeToken runs on every dashboard read.
      hostsChanges: this.db.prepare<[], number>('SELECT n FROM hosts_changes WHERE id = 1').pluck(),
      delete: this.db.prepare('DELETE FROM hosts WHERE alias = ?'),
      silent: this.db.prepare<[number, number], HostVersion>(
        `SELECT alias, received_at AS receivedAt, report_time AS reportTime FROM hosts
        WHERE received_at < ? ORDER BY received_at LIMIT ?`,
      ),
    };
  }

  ingest(report: NormalizedReport, receivedAt: number): Promise<IngestResult> {
    const time = reportTime(report.timestamp, receivedAt);
    const json = JSON.stringify(report);
    return this.write(() => {
      const current = this.stmt.current.get(report.server_alias);
      // Every write moves received_at forward (by 1 ms if two land in the same millisecond), so
      // (receivedAt, reportTime) identifies a host row's content and caches can trust it.
      const received = current ? Math.max(receivedAt, current.received_at + 1) : receivedAt;
      const params = { alias: report.server_alias, receivedAt: received, reportTime: time, report: json };
      // History records every report at its own time, late ones included.
      this.history.write(report, time, receivedAt, !current);
      if (!current) {
        this.stmt.insert.run(params);
        return { latest: true, newHost: true, receivedAt: received, reportTime: time };
      }
      if (time >= current.report_time) {
        this.stmt.replace.run(params);
        return { latest: true, newHost: false, receivedAt: received, reportTime: time };
      }
      this.stmt.touch.run(params);
      return { latest: false, newHost: false, receivedAt: received, reportTime: current.report_time };
    });
  }

  async listHostVersions(): Promise<HostVersion[]> {
    return this.stmt.versions.all();
  }

  async getHost(alias: string): Promise<HostRecord | undefined> {
    const row = this.stmt.get.get(alias);
    return row ? toRecord(row) : undefined;
  }

  async getHosts(aliases: readonly string[]): Promise<HostRecord[]> {
    if (aliases.length === 0) return [];
    return this.stmt.getMany.all(JSON.stringify(aliases)).map(toRecord);
  }

  async listHosts(filter: HostFilter = {}): Promise<string[]> {
    return this.stmt.list.all({ group: filter.group ?? null, label: filter.label ?? null });
  }

  async countHosts(): Promise<number> {
    return this.stmt.count.get()!.n;
  }

  deleteHost(alias: string): Promise<boolean> {
    return this.write(() => {
      this.history.deleteHost(alias);
      return this.stmt.delete.run(alias).changes > 0;
    });
  }

  expireHosts(silentBefore: number, limit: number): Promise<HostVersion[]> {
    return this.write(() => {
      const silent = this.stmt.silent.all(silentBefore, limit);
      for (const host of silent) {
        this.history.deleteHost(host.alias);
        this.stmt.delete.run(host.alias);
      }
      return silent;
    });
  }

  historyTiers(): readonly Tier[] {
    return this.history.tiers;
  }

  async readHistory(
    alias: string,
    tier: string,
    from: number,
    to: number,
    wanted?: SeriesFilter,
  ): Promise<HistoryRow[] | undefined> {
    return this.history.read(alias, tier, from, to, wanted);
  }

  async queryHistory(query: HistoryQuery, signal?: AbortSignal): Promise<Buffer | undefined> {
    if (query.kind === 'host' && !this.stmt.current.get(query.alias)) return undefined;
    return this.historyQueries.run(query, signal);
  }

  /** One host's GPU processes per row of one tier, oldest first; SQLite only (history tests), not part of the Store. */
  async readGpuProcesses(
    alias: string,
    tier: string,
    from: number,
    to: number,
  ): Promise<{ t: number; processes: ProcessAggregate[] }[]> {
    return this.history.readProcesses(alias, tier, from, to);
  }

  async historyMaintenance(now: number): Promise<boolean> {
    return this.history.maintain(now);
  }

  /** Runs maintenance on a thread of its own, in the one process holding the lease (sqlite-maintenance.ts). */
  startMaintenance(log: MaintenanceLog, options: SqliteMaintenanceOptions = {}): Promise<SqliteMaintenance> {
    return SqliteMaintenance.start(this.db, this.history.tiers, log, options);
  }

  async othersChangeToken(): Promise<string> {
    // Read between transactions (writes run synchronously), so the counter holds every one of ours counted so far.
    return String(this.stmt.hostsChanges.get()! - this.ownHostCommits);
  }

  /** Queues a write in the group commit; a full database or disk rejects with the store's own StorageFullError. */
  private write<R>(work: () => R): Promise<R> {
    return this.writer.run(work).catch((error: unknown) => {
      throw isStorageFull(error) ? new StorageFullError({ cause: error }) : error;
    });
  }

  async close(): Promise<void> {
    await this.historyQueries.close();
    await this.writer.drain();
    this.walSync?.close();
    if (this.db.open) this.db.close();
  }
}

function toRecord(row: HostRow): HostRecord {
  return {
    alias: row.alias,
    report: JSON.parse(row.report) as NormalizedReport,
    receivedAt: row.received_at,
    reportTime: row.report_time,
  };
}

/** SQLite's "database or disk is full" (a page it could not write, or max_page_count), or a WAL sync that hit ENOSPC. */
function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}
