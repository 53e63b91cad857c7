/**
 * Agent configuration. The variable names are the original agent's
 * config.env names (API_ENDPOINT, API_KEY, SERVER_ALIAS, MACHINE_TYPE, GROUP,
 * LABELS), so an existing file works as is; the rest are Fleetwatch
 * additions. Each variable has a flag of the same name in kebab case
 * (API_KEY → --api-key). Precedence: flags, then environment, then the
 * config file, then defaults.
 */
import { readFileSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { parse as parseDotenv } from 'dotenv';

/** The agent's validated, frozen configuration. */
export interface AgentConfig {
  /** Server base URL or full report URL (`/api/report` is appended when missing). */
  apiEndpoint: string;
  /** The server's API key, sent as a Bearer token. */
  apiKey: string;
  /** Name of this host on the dashboard; defaults to the hostname. */
  serverAlias: string;
  /** `host`, `vm`, ... as the original agent sent. */
  machineType: string;
  /** Group shown on the dashboard. */
  group: string;
  /** Comma-separated labels. */
  labels: string[];
  /** Seconds between reports. */
  intervalSeconds: number;
  /** Fraction of the interval by which each wait is randomly stretched or shortened. */
  jitter: number;
  /** Seconds one HTTP attempt may take. */
  timeoutSeconds: number;
  /** Attempts per report before it is spooled. */
  retries: number;
  /** Where undelivered reports wait. */
  spoolDir: string;
  /** Spooled reports older than this many hours are dropped. */
  spoolMaxAgeHours: number;
  /** The spool never grows past this many MB; the oldest reports go first. */
  spoolMaxMb: number;
  /** Docker (or Podman) API socket. */
  dockerSocket: string;
  /** The nvidia-smi executable. */
  nvidiaSmi: string;
  /** `xml` (all processes, with types; one long-running nvidia-smi in `run`) or `csv` (compute processes only; two runs per report). */
  gpuMode: 'xml' | 'csv';
  /** Report per-core CPU percent. */
  perCore: boolean;
  /** Report network filesystems (NFS, CIFS, ...) too. */
  networkDisks: boolean;
  /** Root of the proc filesystem (e.g. /host/proc when the agent runs in a container). */
  procRoot: string;
  /** pino level: debug, info, warn, error. */
  logLevel: string;
}

type Raw = Record<string, string | undefined>;

/** Each variable, its doc (shown by --help) and its default. */
export const VARIABLES: { name: string; doc: string; def?: string }[] = [
  { name: 'API_ENDPOINT', doc: 'server URL, e.g. http://monitor:8000 (required to send)' },
  { name: 'API_KEY', doc: "the server's API key (required to send)" },
  { name: 'SERVER_ALIAS', doc: 'name of this host on the dashboard', def: 'the hostname' },
  { name: 'MACHINE_TYPE', doc: 'machine type', def: 'host' },
  { name: 'GROUP', doc: 'group on the dashboard', def: 'default' },
  { name: 'LABELS', doc: 'comma-separated labels', def: '' },
  { name: 'INTERVAL', doc: 'seconds between reports', def: '15' },
  { name: 'JITTER', doc: 'random spread of each wait, as a fraction of INTERVAL', def: '0.2' },
  { name: 'TIMEOUT', doc: 'seconds per HTTP attempt', def: '10' },
  { name: 'RETRIES', doc: 'attempts per report before spooling', def: '3' },
  { name: 'SPOOL_DIR', doc: 'where undelivered reports wait', def: '/var/lib/fleetwatch-agent/spool' },
  { name: 'SPOOL_MAX_AGE_HOURS', doc: 'drop spooled reports older than this', def: '24' },
  { name: 'SPOOL_MAX_MB', doc: 'maximum spool size', def: '50' },
  { name: 'DOCKER_SOCKET', doc: 'Docker or Podman API socket', def: '/var/run/docker.sock' },
  { name: 'NVIDIA_SMI', doc: 'nvidia-smi executable', def: 'nvidia-smi' },
  { name: 'GPU_MODE', doc: 'xml (-q -x, every process) or csv (query fields, compute processes)', def: 'xml' },
  { name: 'PER_CORE', doc: 'report per-core CPU (true/false)', def: 'true' },
  { name: 'NETWORK_DISKS', doc: 'report NFS/CIFS mounts too (true/false)', def: 'false' },
  { name: 'PROC_ROOT', doc: 'proc filesystem root', def: '/proc' },
  { name: 'LOG_LEVEL', doc: 'debug, info, warn or error', def: 'info' },
];

/** `API_KEY` → `api-key`. */
export const flagName = (variable: string) => variable.toLowerCase().replace(/_/g, '-');

/** A configuration problem, naming the variable. */
export class ConfigError extends Error {}

function num(raw: Raw, name: string, min: number, max: number): number {
  const value = Number(raw[name]);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new ConfigError(`${name} must be a number from ${min} to ${max} (got "${raw[name]}")`);
  return value;
}

function bool(raw: Raw, name: string): boolean {
  const v = (raw[name] ?? '').toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false (got "${raw[name]}")`);
}

/** Reads a config.env file (shell-style KEY=value, quotes allowed). */
export function readConfigFile(path: string): Raw {
  return parseDotenv(readFileSync(path, 'utf8'));
}

/** The config file to read: --config, else FLEETWATCH_CONFIG, else /etc/fleetwatch/config.env when present. */
export function configPath(flagPath: string | undefined, env: Raw): string | undefined {
  if (flagPath) return flagPath;
  if (env.FLEETWATCH_CONFIG) return env.FLEETWATCH_CONFIG;
  return existsSync('/etc/fleetwatch/config.env') ? '/etc/fleetwatch/config.env' : undefined;
}

/** Merges the layers and validates; throws ConfigError naming the bad variable. */
export function resolveConfig(layers: { flags?: Raw; env?: Raw; file?: Raw }): AgentConfig {
  const raw: Raw = {};
  for (const v of VARIABLES) {
    raw[v.name] = layers.flags?.[v.name] ?? layers.env?.[v.name] ?? layers.file?.[v.name] ?? v.def;
  }
  const mode = raw.GPU_MODE;
  if (mode !== 'xml' && mode !== 'csv') throw new ConfigError(`GPU_MODE must be xml or csv (got "${mode}")`);
  const docker = raw.DOCKER_SOCKET!.replace(/^unix:\/\//, '');
  return Object.freeze({
    apiEndpoint: raw.API_ENDPOINT ?? '',
    apiKey: raw.API_KEY ?? '',
    serverAlias: raw.SERVER_ALIAS && raw.SERVER_ALIAS !== 'the hostname' ? raw.SERVER_ALIAS : hostname(),
    machineType: raw.MACHINE_TYPE!,
    group: raw.GROUP!,
    labels: raw
      .LABELS!.split(',')
      .map((l) => l.trim())
      .filter(Boolean),
    intervalSeconds: num(raw, 'INTERVAL', 1, 86_400),
    jitter: num(raw, 'JITTER', 0, 0.9),
    timeoutSeconds: num(raw, 'TIMEOUT', 0.1, 600),
    retries: Math.floor(num(raw, 'RETRIES', 1, 100)),
    spoolDir: raw.SPOOL_DIR!,
    spoolMaxAgeHours: num(raw, 'SPOOL_MAX_AGE_HOURS', 0, 24 * 365),
    spoolMaxMb: num(raw, 'SPOOL_MAX_MB', 0, 1_000_000),
    dockerSocket: docker,
    nvidiaSmi: raw.NVIDIA_SMI!,
    gpuMode: mode,
    perCore: bool(raw, 'PER_CORE'),
    networkDisks: bool(raw, 'NETWORK_DISKS'),
    procRoot: raw.PROC_ROOT!,
    logLevel: raw.LOG_LEVEL!,
  });
}

/** The URL reports are POSTed to. */
export function reportUrl(apiEndpoint: string): string {
  const base = apiEndpoint.replace(/\/+$/, '');
  return base.endsWith('/api/report') ? base : `${base}/api/report`;
}
