/**
 * A PostgreSQL server for the tests. CI (and anyone with a server) sets
 * FLEETWATCH_TEST_DATABASE_URL to a role that may CREATE DATABASE. Without
 * it, a private throwaway cluster is started from the Debian/Ubuntu
 * `postgresql` package's binaries in a temp dir on a free port (as the
 * `postgres` user when running as root, since initdb refuses root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server-process.js';

export interface PostgresServer { url: string; stop: () => void }

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export async function startPostgres(): Promise<PostgresServer | { error: string }> {
  const fromEnv = process.env.FLEETWATCH_TEST_DATABASE_URL;
  if (fromEnv) return { url: fromEnv, stop: () => {} };
  const bin = binDir();
  if (!bin) {
    return { error: 'PostgreSQL is needed for the PostgreSQL store tests: install it (apt-get install postgresql) or set FLEETWATCH_TEST_DATABASE_URL=postgres://user:pass@host/db for a role that may create databases.' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'fleetwatch-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const pw = spawnSync('id', ['-u', 'postgres']);
    const uid = Number(pw.stdout.toString().trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (cmd: string, args: string[]) => asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' })
    : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  run('initdb', ['-D', data, '-U', 'fleetwatch', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://fleetwatch@127.0.0.1:${port}/postgres`,
    stop: () => {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already gone */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
