/**
 * The Store is the only door to data. Backends (sqlite/, later postgres/)
 * implement it; routes and services never touch a database directly.
 * Every method is async so that a network database fits the same shape.
 */
import type { NormalizedReport } from '../contract/index.js';
import type { HistoryQuery } from '../history/query.js';
import type { Tier } from '../history/tiers.js';
import type { HistoryRow, ProcessAggregate, SeriesFilter } from '../history/types.js';

/** The latest known state of one host. */
export interface HostRecord {
  alias: string;
  /** The newest report by the agent's own clock (a late spooled report never replaces it). */
  report: NormalizedReport;
  /** When the server last received any report from this host, ms since epoch (server clock). */
  receivedAt: number;
  /** Where the latest report sits in time (agent timestamp clamped to receive time), ms. */
  reportTime: number;
}

/** Enough of a host to tell whether a cached copy of it is still current. */
export interface HostVersion {
  alias: string;
  receivedAt: number;
  reportTime: number;
}

/** What ingest did with a report. */
export interface IngestResult {
  /** True when the report became the host's latest state; false for a late (older) report. */
  latest: boolean;
  /** True when this was the first report ever seen from this alias. */
  newHost: boolean;
  /** The host's receivedAt after this write: its new version, which may run a few ms past the receive time given. */
  receivedAt: number;
  /** The host's reportTime after this write (a late report leaves it as it was). */
  reportTime: number;
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

export interface Store {
  /**
   * Stores one report durably and resolves only once it is committed, so a
   * caller may acknowledge it. The report's `server_alias` is the key.
   * Rejects with StorageFullError when there is no room to store it.
   */
  ingest(report: NormalizedReport, receivedAt: number): Promise<IngestResult>;

  /**
   * Every host's alias, receivedAt and reportTime in first-report order,
   * without the reports: cheap, so caches re-read only hosts that changed.
   */
  listHostVersions(): Promise<HostVersion[]>;

  /** One host, or undefined when the alias is unknown. */
  getHost(alias: string): Promise<HostRecord | undefined>;

  /**
   * The hosts of `aliases`, in one round trip, in the order given; unknown
   * aliases are skipped (so the answer may be shorter).
   */
  getHosts(aliases: readonly string[]): Promise<HostRecord[]>;

  /** Number of hosts known. */
  countHosts(): Promise<number>;

  /** Removes a host and everything stored about it; false when the alias is unknown. */
  deleteHost(alias: string): Promise<boolean>;

  /**
   * An opaque value that changes whenever anyone (this process or another
   * sharing the database) commits a change to a host's latest state (a
   * report, a deletion); history writes leave it as it is. Caches of the
   * hosts compare it to know when to rebuild.
   */
  changeToken(): Promise<string>;

  /** The history tiers this store keeps, finest (raw) first. */
  historyTiers(): readonly Tier[];

  /**
   * One host's history rows in one tier with `from <= t <= to` (unix seconds,
   * t is the report time or the bucket start), oldest first; undefined when
   * the host has no history at all. With `wanted`, rows may carry only the
   * series it accepts (a store may then skip decoding the others).
   */
  readHistory(alias: string, tier: string, from: number, to: number, wanted?: SeriesFilter): Promise<HistoryRow[] | undefined>;

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

  /** One host's GPU processes per row of one tier, oldest first (the base of GPU usage accounting). */
  readGpuProcesses(alias: string, tier: string, from: number, to: number): Promise<{ t: number; processes: ProcessAggregate[] }[]>;

  /**
   * Runs one small, idempotent batch of rollup or retention work as of `now`
   * (ms) and resolves with true while more work is waiting. Progress is kept
   * in the database, so any process may call it and a restart resumes.
   */
  historyMaintenance(now: number): Promise<boolean>;

  /** Flushes pending writes and releases the database. */
  close(): Promise<void>;
}
