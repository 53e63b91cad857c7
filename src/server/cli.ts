/**
 * The server's command line. The server takes its settings from the
 * environment (and .env), so the only arguments are --help and --version;
 * anything else stops it before it writes a key or a database, since a
 * mistyped flag must not start a server nobody asked for.
 */
import { loadConfig } from './config.js';
import { SERVER_VERSION } from './version.js';

/** The help text, with the defaults the configuration code itself applies. */
export function helpText(): string {
  const d = loadConfig({});
  return `fleetwatch ${SERVER_VERSION}: the Fleetwatch server (agents' reports, dashboard, API)

Usage: fleetwatch [-h | --help] [-v | --version]

With no arguments it starts the server. Settings come from environment variables, or a .env file in the
working directory (real variables win); a bad one stops it with one line naming the variable (exit 2).

Common variables [default]:
  HOST                     address to listen on [${d.host}]
  PORT                     port [${d.port}]
  DATA_DIR                 database, generated API key [${d.dataDir}]
  API_KEY                  the key agents send as "Authorization: Bearer <key>" [generated into DATA_DIR/api-key]
  STALE_THRESHOLD_SECONDS  a host is down after this much silence [${d.staleThresholdSeconds}]
  WORKERS                  server processes sharing the database [${d.workers}]
  LOG_LEVEL                fatal, error, warn, info, debug, trace or silent [${d.logLevel}]
  CORS_ORIGINS             origins allowed to call the API from a browser, or * [${d.corsOrigins === '*' ? '*' : d.corsOrigins.join(',')}]
  HOST_EXPIRE_DAYS         forget hosts silent this many days [${d.hostExpireDays ?? 'off'}]

Every variable, with its meaning, is in .env.example and in the README's Configuration section.
Once started: dashboard at http://localhost:${d.port}/ui/, API docs at http://localhost:${d.port}/docs.
`;
}

/** What the arguments ask for: to start, or to exit at once with `output` and `code`. */
export function readArguments(
  args: readonly string[],
): { start: true } | { start: false; output: string; code: number } {
  if (args.length === 0) return { start: true };
  const [first] = args;
  if (args.length === 1 && (first === '-h' || first === '--help')) return { start: false, output: helpText(), code: 0 };
  if (args.length === 1 && (first === '-v' || first === '--version'))
    return { start: false, output: `${SERVER_VERSION}\n`, code: 0 };
  return {
    start: false,
    output: `fleetwatch: unknown argument ${JSON.stringify(first)}: settings are environment variables; see fleetwatch --help\n`,
    code: 2,
  };
}
