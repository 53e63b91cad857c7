/**
 * Server configuration from the environment and an optional `.env` file
 * (real environment variables win). Read once, validated, frozen: a bad
 * value stops the server with a message naming the variable.
 */
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { config as loadDotenv } from 'dotenv';
import { MAX_POINTS } from '../history/plan.js';
import { DEFAULT_TIERS_SPEC, parseTiers, type Tier } from '../history/tiers.js';
import { DEFAULT_HISTORY_QUERY_LIMITS } from '../store/history-queries.js';
import { DEFAULT_EVENT_STREAM_LIMITS } from './live/event-streams.js';
import { DATABASE_URL_SCHEMES } from '../store/open-store.js';

export interface Config {
  /** Shared secret agents send as `Authorization: Bearer <key>`; undefined means "use or create DATA_DIR/api-key". */
  apiKey: string | undefined;
  /** Interface to listen on. */
  host: string;
  /** TCP port to listen on. */
  port: number;
  /** A host is down when its last report was received more than this many seconds ago. */
  staleThresholdSeconds: number;
  /** Directory for the SQLite database and the generated API key. */
  dataDir: string;
  /** DATABASE_URL: a database reached by URL, its scheme naming the backend; undefined keeps SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** Allowed CORS origins: '*' or an explicit list. */
  corsOrigins: '*' | string[];
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
  /** pino log level. */
  logLevel: string;
  /** Number of server processes sharing the port. */
  workers: number;
  /** SQLite PRAGMA synchronous: FULL also survives power loss; NORMAL only a process crash. */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** HISTORY_ENABLED: false stops recording history at ingest (stored history stays readable and keeps rolling up). */
  historyEnabled: boolean;
  /** HISTORY_TIERS: raw first, then rollups, as "raw:24h,1m:7d,15m:90d,1h:2y" (bucket width:retention). */
  historyTiers: Tier[];
  /** HISTORY_QUERY_CONCURRENCY: history queries answered at once per server process, each on a thread of its own. */
  historyQueryConcurrency: number;
  /** HISTORY_QUERY_QUEUE: history queries that may wait for one of those; more get a 503 with Retry-After. */
  historyQueryQueue: number;
  /** HISTORY_QUERY_TIMEOUT_SECONDS: a history query running longer is stopped and answered with a 503. */
  historyQueryTimeoutSeconds: number;
  /** HISTORY_MAX_CELLS: most values (series × points) one history answer may hold; a larger one is a 422. */
  historyMaxCells: number;
  /** EVENTS_MAX_STREAMS: /api/events streams open at once per server process; more get 503. */
  eventsMaxStreams: number;
  /** EVENTS_MAX_STREAMS_PER_CLIENT: /api/events streams open at once from one client address; more get 503. */
  eventsMaxStreamsPerClient: number;
  /** MAX_CONNECTIONS: TCP connections a server process holds at once; more are closed on arrival. */
  maxConnections: number;
  /** HOST_EXPIRE_DAYS: a host silent this many days is removed with its history; undefined (the default) keeps every host. */
  hostExpireDays: number | undefined;
}

/**
 * Default of MAX_CONNECTIONS: room for the default stream cap and for the
 * idle keep-alive connections of a 10,000-host fleet (an agent keeps its
 * connection about 5 s of every 15), with headroom for bursts.
 */
const DEFAULT_MAX_CONNECTIONS = 10_000;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Record<string, string | undefined>;

/** Reads `.env` (if present in cwd) into process.env without overriding real variables. */
export function loadDotenvFile(path = '.env'): void {
  loadDotenv({ path, quiet: true });
}

/** Parses and validates configuration from `env`; throws ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const staleThresholdSeconds = integer(env, 'STALE_THRESHOLD_SECONDS', 300, 1, 31_536_000);
  const config: Config = {
    apiKey: optional(env, 'API_KEY'),
    host: optional(env, 'HOST') ?? '0.0.0.0',
    port: integer(env, 'PORT', 8000, 0, 65535),
    staleThresholdSeconds,
    dataDir: resolve(optional(env, 'DATA_DIR') ?? './data'),
    databaseUrl: databaseUrl(env),
    corsOrigins: corsOrigins(env),
    bodyLimit: byteSize(env, 'BODY_LIMIT', 2 * 1024 * 1024),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    workers: workers(env),
    sqliteSynchronous: oneOf(env, 'SQLITE_SYNCHRONOUS', ['FULL', 'NORMAL'], 'FULL') as Config['sqliteSynchronous'],
    historyEnabled: oneOf(env, 'HISTORY_ENABLED', ['true', 'false'], 'true') === 'true',
    historyTiers: historyTiers(env),
    historyQueryConcurrency: integer(env, 'HISTORY_QUERY_CONCURRENCY', DEFAULT_HISTORY_QUERY_LIMITS.concurrency, 1, 64),
    historyQueryQueue: integer(env, 'HISTORY_QUERY_QUEUE', DEFAULT_HISTORY_QUERY_LIMITS.queue, 0, 10_000),
    historyQueryTimeoutSeconds: integer(
      env,
      'HISTORY_QUERY_TIMEOUT_SECONDS',
      DEFAULT_HISTORY_QUERY_LIMITS.timeoutMs / 1000,
      1,
      3600,
    ),
    historyMaxCells: integer(env, 'HISTORY_MAX_CELLS', DEFAULT_HISTORY_QUERY_LIMITS.maxCells, MAX_POINTS, 10_000_000),
    eventsMaxStreams: integer(env, 'EVENTS_MAX_STREAMS', DEFAULT_EVENT_STREAM_LIMITS.maxStreams, 1, 1_000_000),
    eventsMaxStreamsPerClient: integer(
      env,
      'EVENTS_MAX_STREAMS_PER_CLIENT',
      DEFAULT_EVENT_STREAM_LIMITS.maxStreamsPerClient,
      1,
      1_000_000,
    ),
    maxConnections: integer(env, 'MAX_CONNECTIONS', DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
    hostExpireDays: hostExpireDays(env, staleThresholdSeconds),
  };
  return Object.freeze(config);
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf(env: Env, name: string, allowed: string[], fallback: string): string {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const match = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!match) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return match;
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1024,
  k: 1024,
  mb: 1024 ** 2,
  m: 1024 ** 2,
  gb: 1024 ** 3,
  g: 1024 ** 3,
};

function byteSize(env: Env, name: string, fallback: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined)
    throw new ConfigError(name, `expected a size like 2097152, 512kb or 2mb, got "${raw}"`);
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1024 || bytes > 1024 ** 3) throw new ConfigError(name, `must be between 1kb and 1gb, got "${raw}"`);
  return bytes;
}

function corsOrigins(env: Env): '*' | string[] {
  const raw = optional(env, 'CORS_ORIGINS');
  if (raw === undefined || raw === '*') return '*';
  const origins = raw
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError('CORS_ORIGINS', `"${origin}" is not an origin like https://dash.example.org`);
    }
    if (url.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError('CORS_ORIGINS', `"${origin}" must be a bare origin (scheme://host[:port]) without a path`);
    }
  }
  return origins.map((o) => o.replace(/\/$/, ''));
}

function historyTiers(env: Env): Tier[] {
  try {
    return parseTiers(optional(env, 'HISTORY_TIERS') ?? DEFAULT_TIERS_SPEC);
  } catch (error) {
    throw new ConfigError('HISTORY_TIERS', `${(error as Error).message} (default "${DEFAULT_TIERS_SPEC}")`);
  }
}

/** The URL is never echoed: it may hold a password. */
function databaseUrl(env: Env): string | undefined {
  const raw = optional(env, 'DATABASE_URL');
  if (raw === undefined) return undefined;
  if (!URL.canParse(raw)) throw new ConfigError('DATABASE_URL', 'expected a URL like postgres://user@host/db');
  const scheme = new URL(raw).protocol.slice(0, -1);
  if (!DATABASE_URL_SCHEMES.includes(scheme)) {
    const known = DATABASE_URL_SCHEMES.length > 0 ? DATABASE_URL_SCHEMES.join(', ') : 'none yet';
    throw new ConfigError(
      'DATABASE_URL',
      `no store backend for "${scheme}:" URLs (known: ${known}); leave it unset for SQLite in DATA_DIR`,
    );
  }
  return raw;
}

/** Off when unset; a host must count as down well before it expires, so the days must outlast the stale threshold. */
function hostExpireDays(env: Env, staleThresholdSeconds: number): number | undefined {
  if (optional(env, 'HOST_EXPIRE_DAYS') === undefined) return undefined;
  const days = integer(env, 'HOST_EXPIRE_DAYS', 0, 1, 36_500);
  if (days * 86_400 <= staleThresholdSeconds) {
    throw new ConfigError(
      'HOST_EXPIRE_DAYS',
      `must outlast STALE_THRESHOLD_SECONDS (${staleThresholdSeconds} s), or a host would be removed before it counts as down; got ${days}`,
    );
  }
  return days;
}

function workers(env: Env): number {
  const raw = optional(env, 'WORKERS');
  if (raw?.toLowerCase() === 'auto') return availableParallelism();
  return integer(env, 'WORKERS', 1, 1, 256);
}
