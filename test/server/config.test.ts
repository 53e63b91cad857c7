import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { DEFAULT_TIERS_SPEC, parseTiers } from '../../src/history/tiers.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      apiKey: undefined,
      host: '0.0.0.0',
      port: 8000,
      staleThresholdSeconds: 300,
      corsOrigins: '*',
      bodyLimit: 2 * 1024 * 1024,
      logLevel: 'info',
      workers: 1,
      sqliteSynchronous: 'FULL',
      historyQueryConcurrency: 2,
      historyQueryQueue: 32,
      historyQueryTimeoutSeconds: 30,
      historyMaxCells: 250_000,
      eventsMaxStreams: 1000,
      eventsMaxStreamsPerClient: 20,
      maxConnections: 10_000,
      hostExpireDays: undefined,
    });
    expect(config.dataDir).toMatch(/\/data$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      API_KEY: 'k'.repeat(20),
      HOST: '127.0.0.1',
      PORT: '9000',
      STALE_THRESHOLD_SECONDS: '60',
      DATA_DIR: '/tmp/x',
      CORS_ORIGINS: 'https://a.example, http://b.example:8080/',
      BODY_LIMIT: '512kb',
      LOG_LEVEL: 'debug',
      WORKERS: '3',
      SQLITE_SYNCHRONOUS: 'normal',
      HISTORY_QUERY_CONCURRENCY: '4',
      HISTORY_QUERY_QUEUE: '0',
      HISTORY_QUERY_TIMEOUT_SECONDS: '5',
      HISTORY_MAX_CELLS: '100000',
      EVENTS_MAX_STREAMS: '50',
      EVENTS_MAX_STREAMS_PER_CLIENT: '5',
      MAX_CONNECTIONS: '500',
      HOST_EXPIRE_DAYS: '30',
    });
    expect(config).toEqual({
      apiKey: 'k'.repeat(20),
      host: '127.0.0.1',
      port: 9000,
      staleThresholdSeconds: 60,
      dataDir: '/tmp/x',
      corsOrigins: ['https://a.example', 'http://b.example:8080'],
      bodyLimit: 512 * 1024,
      logLevel: 'debug',
      workers: 3,
      sqliteSynchronous: 'NORMAL',
      historyEnabled: true,
      historyTiers: parseTiers(DEFAULT_TIERS_SPEC),
      historyQueryConcurrency: 4,
      historyQueryQueue: 0,
      historyQueryTimeoutSeconds: 5,
      historyMaxCells: 100_000,
      eventsMaxStreams: 50,
      eventsMaxStreamsPerClient: 5,
      maxConnections: 500,
      hostExpireDays: 30,
    });
  });

  it.each([
    ['PORT', 'eighty', /PORT: expected a whole number/],
    ['PORT', '70000', /PORT: must be between 0 and 65535/],
    ['STALE_THRESHOLD_SECONDS', '0', /STALE_THRESHOLD_SECONDS: must be between/],
    ['BODY_LIMIT', 'huge', /BODY_LIMIT: expected a size/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: must be one of/],
    ['WORKERS', '-1', /WORKERS: expected a whole number/],
    ['CORS_ORIGINS', 'not a url', /CORS_ORIGINS: "not a url" is not an origin/],
    ['CORS_ORIGINS', 'https://a.example/path', /must be a bare origin/],
    ['HISTORY_QUERY_CONCURRENCY', '0', /HISTORY_QUERY_CONCURRENCY: must be between 1 and 64/],
    ['HISTORY_QUERY_QUEUE', 'many', /HISTORY_QUERY_QUEUE: expected a whole number/],
    ['HISTORY_QUERY_TIMEOUT_SECONDS', '0', /HISTORY_QUERY_TIMEOUT_SECONDS: must be between 1 and 3600/],
    ['HISTORY_MAX_CELLS', '999', /HISTORY_MAX_CELLS: must be between 1000 and 10000000/],
    ['EVENTS_MAX_STREAMS', '0', /EVENTS_MAX_STREAMS: must be between 1 and/],
    ['EVENTS_MAX_STREAMS_PER_CLIENT', 'many', /EVENTS_MAX_STREAMS_PER_CLIENT: expected a whole number/],
    ['MAX_CONNECTIONS', '0', /MAX_CONNECTIONS: must be between 1 and/],
    ['HOST_EXPIRE_DAYS', '0', /HOST_EXPIRE_DAYS: must be between 1 and 36500, got 0/],
    ['HOST_EXPIRE_DAYS', '1.5', /HOST_EXPIRE_DAYS: expected a whole number, got "1.5"/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL: expected a URL like postgres:/],
    [
      'DATABASE_URL',
      'postgres://fleet:s3cret@db/fleet',
      /DATABASE_URL: no store backend for "postgres:" URLs \(known: none yet\); leave it unset for SQLite/,
    ],
  ])('refuses %s=%s with a message naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
    expect(() => loadConfig({ [name]: value })).not.toThrow(/s3cret/); // a URL's password never reaches the message
  });

  it('refuses HOST_EXPIRE_DAYS no longer than STALE_THRESHOLD_SECONDS, naming both', () => {
    expect(() => loadConfig({ HOST_EXPIRE_DAYS: '1', STALE_THRESHOLD_SECONDS: '86400' })).toThrow(
      'HOST_EXPIRE_DAYS: must outlast STALE_THRESHOLD_SECONDS (86400 s), or a host would be removed before it counts as down; got 1',
    );
    expect(loadConfig({ HOST_EXPIRE_DAYS: '2', STALE_THRESHOLD_SECONDS: '86400' }).hostExpireDays).toBe(2);
  });
});
