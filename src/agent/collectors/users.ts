/**
 * Logged-in users from the binary utmp file (what `who` reads), with an ISO
 * `started` instead of the original's "2025-11-06 09:30". Hosts without utmp
 * (newer distributions moved to logind) fall back to running `who`, at most
 * once a minute: a fork every cycle would cost more than the rest of the
 * users collector, and logins change far less often than reports are sent.
 */
import { readFileSync, existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { UserReport } from '../../contract/index.js';

const run = promisify(execFile);

/** glibc's `struct utmp` on 64-bit Linux: 384 bytes, 32-bit time fields. */
const RECORD = 384;
const USER_PROCESS = 7;

const cstr = (buf: Buffer, start: number, len: number) => {
  const end = buf.indexOf(0, start);
  return buf.toString('utf8', start, end < 0 || end > start + len ? start + len : end);
};

/** One USER_PROCESS record of utmp. */
export interface UtmpEntry extends UserReport {
  pid: number;
}

/** Parses a utmp file's bytes into its login records. */
export function parseUtmp(buf: Buffer): UtmpEntry[] {
  const out: UtmpEntry[] = [];
  for (let off = 0; off + RECORD <= buf.length; off += RECORD) {
    if (buf.readInt16LE(off) !== USER_PROCESS) continue;
    const name = cstr(buf, off + 44, 32);
    if (!name) continue;
    const host = cstr(buf, off + 76, 256);
    out.push({
      pid: buf.readInt32LE(off + 4),
      name,
      tty: cstr(buf, off + 8, 32),
      host: host || 'localhost',
      started: new Date(buf.readInt32LE(off + 340) * 1000).toISOString(),
    });
  }
  return out;
}

/** Parses `who` output ("alice pts/0 2025-11-06 09:30 (10.0.0.5)"); times are local. */
export function parseWho(text: string): UserReport[] {
  const out: UserReport[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})(?:\s+\((.*)\))?/.exec(line);
    if (!m) continue;
    const started = new Date(`${m[3]}T${m[4]}:00`);
    out.push({
      name: m[1]!,
      tty: m[2]!,
      host: m[5] || 'localhost',
      started: isNaN(started.getTime()) ? `${m[3]} ${m[4]}` : started.toISOString(),
    });
  }
  return out;
}

/** Where the users collector reads from. */
export interface UsersSource {
  utmp: string;
  procRoot: string;
  whoCommand: string;
}

/** Logged-in users from utmp alone; undefined when the host has no readable utmp. */
export async function utmpUsers(source: Pick<UsersSource, 'utmp' | 'procRoot'>): Promise<UserReport[] | undefined> {
  let buf: Buffer;
  // utmp is on tmpfs (/run) and /proc in memory: synchronous reads are safe and cheap (see read-text.ts).
  try {
    buf = readFileSync(source.utmp);
  } catch {
    return undefined;
  }
  return parseUtmp(buf)
    .filter((e) => e.pid <= 0 || existsSync(`${source.procRoot}/${e.pid}`))
    .map(({ pid: _pid, ...user }) => user);
}

/** Users by running `who`; [] when it fails. */
export async function whoUsers(whoCommand: string): Promise<UserReport[]> {
  try {
    const { stdout } = await run(whoCommand, [], { timeout: 5000 });
    return parseWho(stdout);
  } catch {
    return [];
  }
}

/** Reads utmp, keeping sessions whose process is alive (as `who` does); falls back to `who`. */
export async function collectUsers(source: UsersSource): Promise<UserReport[]> {
  return (await utmpUsers(source)) ?? whoUsers(source.whoCommand);
}

/** The users collector of the `run` loop: utmp every cycle, else `who` at most every `whoEveryMs`. */
export class UsersCollector {
  private who: { users: UserReport[]; at: number } | undefined;
  /** How many times `who` has run. */
  whoRuns = 0;
  constructor(
    private readonly source: UsersSource,
    private readonly whoEveryMs = 60_000,
  ) {}

  async collect(now = Date.now()): Promise<UserReport[]> {
    const fromUtmp = await utmpUsers(this.source);
    if (fromUtmp) return fromUtmp;
    if (!this.who || now - this.who.at >= this.whoEveryMs) {
      this.whoRuns++;
      this.who = { users: await whoUsers(this.source.whoCommand), at: now };
    }
    return this.who.users;
  }
}
