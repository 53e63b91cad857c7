/**
 * What start-up checks before it writes anything: that HOST resolves, that
 * PORT is free on it, then that DATA_DIR is (or can be made) a writable
 * directory on real storage. A failure is a ConfigError naming the variable,
 * which main.ts prints as one line.
 *
 * DATA_DIR is created one level at a time rather than with a recursive
 * mkdir: under /proc, mkdir answers ENOENT while the parent exists, and
 * Node's recursive mkdir retries that pair forever (a silent busy loop).
 */
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { closeSync, mkdirSync, openSync, rmdirSync, statfsSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative, sep } from 'node:path';
import { ConfigError, type Config } from './config.js';

/** Kernel interfaces that look like directories but store nothing (statfs f_type, Linux). */
const PSEUDO_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroupfs'],
  [0x63677270, 'cgroup2fs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpffs'],
  [0x62656570, 'configfs'],
]);

/** Checks HOST and PORT, then DATA_DIR when `dataDir` is set; throws ConfigError naming the variable. */
export async function checkStartup(config: Pick<Config, 'host' | 'port'> & { dataDir?: string }): Promise<void> {
  await checkHost(config.host);
  await checkPort(config.host, config.port);
  if (config.dataDir !== undefined) checkDataDir(config.dataDir);
}

/** The ConfigError for a failed listen on HOST:PORT, naming the variable to change; undefined for other errors. */
export function listenError(error: unknown, host: string, port: number): ConfigError | undefined {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new ConfigError(
        'PORT',
        `${port} is already in use on ${host}; stop what listens there or choose another PORT`,
      );
    case 'EACCES':
      return new ConfigError('PORT', `${port} needs root or CAP_NET_BIND_SERVICE; choose a PORT of 1024 or more`);
    case 'EADDRNOTAVAIL':
      return new ConfigError('HOST', `${host} is not an address of this machine; use 0.0.0.0 or one of its addresses`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new ConfigError(
        'HOST',
        `"${host}" cannot be resolved; use 0.0.0.0, 127.0.0.1 or a name this host resolves`,
      );
    default:
      return undefined;
  }
}

async function checkHost(host: string): Promise<void> {
  try {
    await lookup(host);
  } catch (error) {
    throw listenError(error, host, 0) ?? new ConfigError('HOST', `"${host}" cannot be resolved: ${errorText(error)}`);
  }
}

/** Binds HOST:PORT and lets go at once: the port is free, and HOST is this machine's. */
async function checkPort(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host, port }, resolve);
    });
  } catch (error) {
    throw (
      listenError(error, host, port) ?? new ConfigError('PORT', `cannot listen on ${host}:${port}: ${errorText(error)}`)
    );
  }
  await new Promise((resolve) => probe.close(resolve));
}

function checkDataDir(dir: string): void {
  const existing = nearestExisting(dir);
  refusePseudoFilesystem(dir, existing);
  const created = createMissing(dir, existing);
  try {
    probeWrite(dir);
  } catch (error) {
    for (const path of created.reverse()) rmdirSync(path);
    throw error;
  }
}

/** The deepest part of `dir` that exists; it must be a directory. */
function nearestExisting(dir: string): string {
  for (let path = dir; ; path = dirname(path)) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new ConfigError('DATA_DIR', `${dir} cannot be reached: ${errorText(error)}`);
    }
    if (isDirectory) return path;
    throw new ConfigError(
      'DATA_DIR',
      path === dir ? `${dir} is a file, not a directory` : `${dir} cannot be created: ${path} is a file`,
    );
  }
}

function refusePseudoFilesystem(dir: string, existing: string): void {
  if (process.platform !== 'linux') return;
  const kind = PSEUDO_FILESYSTEMS.get(statfsSync(existing).type);
  if (kind === undefined) return;
  throw new ConfigError(
    'DATA_DIR',
    `${dir} is on ${kind}, a kernel interface that stores nothing; choose a directory on a disk, e.g. /var/lib/fleetwatch`,
  );
}

/** Creates the missing levels below `existing`, one mkdir each; returns what it created, outermost first. */
function createMissing(dir: string, existing: string): string[] {
  const created: string[] = [];
  let path = existing;
  for (const part of relative(existing, dir).split(sep).filter(Boolean)) {
    path = join(path, part);
    try {
      mkdirSync(path);
      created.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(path).isDirectory()) continue;
      for (const made of created.reverse()) rmdirSync(made);
      throw new ConfigError('DATA_DIR', `${dir} cannot be created: ${errorText(error)}`);
    }
  }
  return created;
}

/** Writes and removes a file in `dir`: permissions, a read-only mount or a full disk show here, not mid-start. */
function probeWrite(dir: string): void {
  const file = join(dir, `.write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, 'fleetwatch\n');
    } finally {
      closeSync(fd);
      unlinkSync(file);
    }
  } catch (error) {
    throw new ConfigError('DATA_DIR', `${dir} is not writable: ${errorText(error)}`);
  }
}

function errorText(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    ENOENT: 'no such file or directory',
    EDQUOT: 'disk quota exceeded',
  };
  return (code && reasons[code]) ?? code ?? message;
}
