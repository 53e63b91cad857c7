/**
 * The Store is the only door to data. Backends (sqlite/, later postgres/)
 * implement it; routes and services never touch a database directly.
 * Every method is async so that a network database fits the same shape.
 */
import type { NormalizedReport } from '../contract/index.js';

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

/** What ingest did with a report. */
export interface IngestResult {
  /** True when the report became the host's latest state; false for a late (older) report. */
  latest: boolean;
  /** True when this was the first report ever seen from this alias. */
  newHost: boolean;
}

export interface Store {
  /**
   * Stores one report durably and resolves only once it is committed, so a
   * caller may acknowledge it. The report's `server_alias` is the key.
   */
  ingest(report: NormalizedReport, receivedAt: number): Promise<IngestResult>;

  /** Every host in first-report order. */
  listHosts(): Promise<HostRecord[]>;

  /** One host, or undefined when the alias is unknown. */
  getHost(alias: string): Promise<HostRecord | undefined>;

  /** Number of hosts known. */
  countHosts(): Promise<number>;

  /** Removes a host and everything stored about it; false when the alias is unknown. */
  deleteHost(alias: string): Promise<boolean>;

  /**
   * An opaque value that changes whenever anyone (this process or another
   * sharing the database) commits a change. Caches compare it to know when
   * to rebuild.
   */
  changeToken(): Promise<string>;

  /** Flushes pending writes and releases the database. */
  close(): Promise<void>;
}
