/**
 * The Store is the only door to data. Backends (sqlite/, later postgres/)
 * implement it; routes and services never touch a database directly.
 * Every method is async so that a network database fits the same shape.
 */
import type { NormalizedReport } from '../contract/index.js';
import type { MaintenanceLog } from '../history/maintenance/maintenance-job.js';
import type { HistoryQuery } from '../history/query.js';
import type { Tier } from '../history/tiers.js';
import type { HistoryRow, SeriesFilter } from '../history/types.js';

/**
 * The latest known state of one host. `(alias, receivedAt, reportTime)` is
 * its version: see HostVersion.
 */
export interface HostRecord {
  alias: string;
  /** The newest report by the agent's own clock (a late spooled report never replaces it). */
  report: NormalizedReport;
  /**
   * When the server last received any report from this host, ms since epoch
   * (server clock). It may run up to a few ms ahead of the receive time given
   * to ingest, because every write moves it forward (see HostVersion).
   */
  receivedAt: number;
  /** Where the latest report sits in time (agent timestamp clamped to receive time), ms. */
  reportTime: number;
}

/**
 * Enough of a host to tell whether a cached copy of it is still current.
 * Every write to a host (any ingest, a late report included) moves its
 * receivedAt strictly forward, at least 1 ms past the value before, even when
 * two reports are received in the same millisecond or the clock steps back.
 * So while the host exists, equal versions mean equal content, and a cache
 * may keep a record whose version is unchanged.
 */
export interface HostVersion {
  alias: string;
  receivedAt: number;
  reportTime: number;
}

/** Which hosts a listing returns: every condition given must hold. */
export interface HostFilter {
  /** Only hosts whose latest report names this group. */
  group?: string;
  /** Only hosts whose latest report carries this label. */
  label?: string;
}

/** What ingest did with a report. */
export interface IngestResult {
  /**
   * True when the report became the host's latest state: its report time is
   * at or after the latest one's (a tie goes to the newer arrival). False
   * for a late report, which still goes into history and moves receivedAt.
   */
  latest: boolean;
  /** True when this was the first report seen from this alias since it was created or last deleted. */
  newHost: boolean;
  /** The host's receivedAt after this write: its new version, which may run a few ms past the receive time given. */
  receivedAt: number;
  /** The host's reportTime after this write (a late report leaves it as it was). */
  reportTime: number;
}

/**
 * What a backend can do, declared so that callers choose by capability
 * rather than by backend name.
 */
export interface StoreCapabilities {
  /**
   * Several server processes may open the same database at once (WORKERS>1):
   * each sees the others' commits (othersChangeToken moves for them) and writes
   * never interleave within a report. False: one process only.
   */
  readonly sharedAcrossProcesses: boolean;
}

/**
 * A write failed because the database or its disk has no room left; nothing
 * of it was stored. Backends translate their own errors into this one, so
 * callers can answer 507 without knowing the backend.
 */
export class StorageFullError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('Storage is full', options);
    this.name = 'StorageFullError';
  }
}

/**
 * The store could not be opened for a reason the operator must fix (a file
 * that is not a database, or one that cannot be written); the message says
 * what and how, in one line. Backends translate their own errors into it, so
 * the server prints that line instead of a stack trace.
 */
export class StoreOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreOpenError';
  }
}

/** Background work a store runs; `stop` lets the batch in progress finish. */
export interface Maintenance {
  stop(): Promise<void>;
}

/**
 * Reads see every write that has resolved, in this process or in another
 * one sharing the database (where capabilities.sharedAcrossProcesses).
 */
export interface Store {
  /** What this backend can do. */
  readonly capabilities: StoreCapabilities;

  /**
   * Stores one report and resolves only once it is durable (it survives the
   * process being killed), so a caller may acknowledge it. The report's
   * `server_alias` is the key. Every report goes into history at its own
   * report time. A late one (report time before the latest's) moves only
   * receivedAt of the latest state; any other replaces it. Rejects with
   * StorageFullError, having stored nothing, when there is no room.
   */
  ingest(report: NormalizedReport, receivedAt: number): Promise<IngestResult>;

  /**
   * Every host's version in first-report order (a host reported again after
   * deletion goes last), without the reports: cheap, so caches re-read only
   * the hosts whose version changed (getHosts).
   */
  listHostVersions(): Promise<HostVersion[]>;

  /** One host, or undefined when the alias is unknown. */
  getHost(alias: string): Promise<HostRecord | undefined>;

  /**
   * The hosts of `aliases`, in one round trip, in the order given; unknown
   * aliases are skipped (so the answer may be shorter).
   */
  getHosts(aliases: readonly string[]): Promise<HostRecord[]>;

  /** The aliases of the hosts matching `filter` (all hosts without one), in first-report order. */
  listHosts(filter?: HostFilter): Promise<string[]>;

  /** Number of hosts known. */
  countHosts(): Promise<number>;

  /**
   * Removes a host with everything stored about it (its latest state, its
   * containers and its whole history); false when the alias is unknown. A
   * later report from the alias starts a new host (newHost, empty history).
   */
  deleteHost(alias: string): Promise<boolean>;

  /**
   * Removes, as deleteHost does, at most `limit` hosts whose receivedAt is
   * before `silentBefore` (ms), the longest silent first, in one write, and
   * resolves with the versions they had. A host whose report commits first
   * is kept; one whose report commits after comes back as a new host.
   */
  expireHosts(silentBefore: number, limit: number): Promise<HostVersion[]>;

  /**
   * An opaque value that moves whenever another store on the same database
   * (another worker process, another instance) commits a change to a host:
   * an ingest or a deletion. This store's own writes leave it as it is:
   * whoever made them already knows (the fleet monitor hears them from the
   * routes), and a reader that had to re-list the fleet after each of them
   * would do so on every read under steady ingest. History-only commits
   * (maintenance) leave it too. It may also move when nothing visible
   * changed. Caches read it before the data they guard and rebuild when it
   * differs from the one they were built at.
   */
  othersChangeToken(): Promise<string>;

  /** The history tiers this store keeps, finest (raw) first. */
  historyTiers(): readonly Tier[];

  /**
   * One host's history rows in one tier with `from <= t <= to` (unix seconds,
   * t is the report time or the bucket start), oldest first; undefined when
   * the host has no history at all. With `wanted`, rows may carry only the
   * series it accepts (a store may then skip decoding the others).
   */
  readHistory(
    alias: string,
    tier: string,
    from: number,
    to: number,
    wanted?: SeriesFilter,
  ): Promise<HistoryRow[] | undefined>;

  /**
   * Answers a history query with the engine of src/history/query.ts and
   * resolves with the answer (a HistoryResponse) as UTF-8 JSON; undefined
   * when a host query names an unknown host. It runs off the caller's event
   * loop where the backend can, within its HistoryQueryLimits
   * (history-queries.ts): it rejects with QueryError for an answer over
   * maxCells, HistoryBusyError when every slot and queue place is taken and
   * HistoryTimeoutError when it runs too long. When `signal` aborts (the
   * client left, the server is closing), a waiting or running query is
   * stopped and rejects with the signal's reason.
   */
  queryHistory(query: HistoryQuery, signal?: AbortSignal): Promise<Buffer | undefined>;

  /**
   * Runs one small, idempotent batch of history rollup, retention or
   * compaction as of `now` (ms) and resolves with true while more work is
   * waiting. Progress is kept in the database, so any process may call it,
   * and a store closed between batches and opened again finishes with the
   * same history as one that ran without a break. Retention drops a row
   * only once the next tier holds it; othersChangeToken stays.
   */
  historyMaintenance(now: number): Promise<boolean>;

  /**
   * Starts the backend's background work (history rollup, compaction and
   * retention) for as long as the server runs, logging to `log`. However many
   * processes share the data, it runs in one of them at a time, and another
   * takes over when that one is gone.
   */
  startMaintenance(log: MaintenanceLog): Promise<Maintenance>;

  /** Lets pending writes commit (their ingest calls resolve) and releases the database. */
  close(): Promise<void>;
}
