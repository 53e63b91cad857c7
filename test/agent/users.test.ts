import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseUtmp, parseWho, collectUsers, UsersCollector } from '../../src/agent/collectors/users.js';
import { tempDir } from '../helpers/temp-dir.js';
import { FIXTURES } from './helpers/fixtures.js';

const UTMP = `${FIXTURES}utmp/utmp`;

describe('users from utmp', () => {
  it('reads the login records of a utmp file written by utmpdump', () => {
    const entries = parseUtmp(readFileSync(UTMP));
    expect(entries.map(({ name, tty, host, started, pid }) => [name, tty, host, started, pid])).toEqual([
      ['alice', 'pts/0', '192.168.0.5', '2025-11-06T09:30:12.000Z', 1],
      ['root', 'tty2', 'localhost', '2025-11-06T10:15:00.000Z', 1],
      ['bob', 'pts/2', '10.1.2.3', '2025-11-06T12:00:00.000Z', 999999],
    ]);
  });

  it('agrees with `who` on the same file, and drops sessions whose process is gone', async () => {
    const users = await collectUsers({ utmp: UTMP, procRoot: '/proc', whoCommand: 'who' });
    expect(users.map((u) => u.name)).toEqual(['alice', 'root']);
    const who = parseWho(execFileSync('who', [UTMP]).toString());
    // who prints minutes in local time; ours are ISO with seconds.
    const minute = (iso: string) => new Date(iso).toISOString().slice(0, 16);
    expect(users.map((u) => [u.name, u.tty, u.host, minute(u.started)])).toEqual(
      who.filter((w) => w.name !== 'bob').map((w) => [w.name, w.tty, w.host, minute(w.started)]),
    );
  });

  it('falls back to `who` when the host has no utmp', async () => {
    const users = await collectUsers({ utmp: '/nonexistent/utmp', procRoot: '/proc', whoCommand: 'who' });
    expect(users).toEqual(parseWho(execFileSync('who').toString()));
  });

  it('parses who lines with and without a remote host', () => {
    expect(
      parseWho('alice    pts/0        2025-11-06 09:30 (192.168.0.5)\nroot     tty1         2025-11-01 08:00\n'),
    ).toEqual([
      { name: 'alice', tty: 'pts/0', host: '192.168.0.5', started: new Date('2025-11-06T09:30:00').toISOString() },
      { name: 'root', tty: 'tty1', host: 'localhost', started: new Date('2025-11-01T08:00:00').toISOString() },
    ]);
  });

  it('the run loop reads utmp every cycle, and runs `who` (without utmp) at most once a minute', async () => {
    const d = tempDir('fw-who-');
    try {
      // A `who` that counts its runs and prints one real-format line.
      const count = join(d.path, 'runs');
      const who = join(d.path, 'who');
      writeFileSync(
        who,
        `#!/bin/sh\necho x >> '${count}'\necho 'alice    pts/0        2025-11-06 09:30 (192.168.0.5)'\n`,
      );
      chmodSync(who, 0o755);
      const runs = () => readFileSync(count, 'utf8').split('\n').filter(Boolean).length;

      const noUtmp = new UsersCollector({ utmp: join(d.path, 'no-utmp'), procRoot: '/proc', whoCommand: who }, 60_000);
      const t = Date.now();
      for (const at of [t, t + 15_000, t + 45_000])
        expect((await noUtmp.collect(at)).map((u) => u.name)).toEqual(['alice']);
      expect(runs()).toBe(1);
      await noUtmp.collect(t + 60_000);
      expect(runs()).toBe(2);

      const withUtmp = new UsersCollector({ utmp: UTMP, procRoot: '/proc', whoCommand: who }, 60_000);
      expect((await withUtmp.collect()).map((u) => u.name)).toEqual(['alice', 'root']);
      expect(withUtmp.whoRuns).toBe(0);
      expect(runs()).toBe(2);
    } finally {
      d.remove();
    }
  });
});
