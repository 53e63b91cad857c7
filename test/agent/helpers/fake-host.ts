/**
 * Stand-ins for what cannot exist on this machine: an nvidia-smi that prints
 * real recorded outputs (or fails the way a broken driver does), a Docker
 * Engine on a Unix socket that replays recorded API answers, and a /proc
 * whose GPU processes exist, while every other /proc file is the real one.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync, chownSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { FIXTURES } from './fixtures.js';

/** The message nvidia-smi prints (on stdout, exit 9) when the driver is not loaded. */
export const DRIVER_FAILURE =
  "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";

/**
 * Writes an executable nvidia-smi that prints `xmlFixture` for -q -x (every
 * `-l` seconds, as the real one loops, when given `-q -x -l N`) and the CSVs
 * for the query modes. `name` lets one test directory hold several.
 */
export function fakeNvidiaSmi(
  dir: string,
  files: { xml?: string; queryGpu?: string; computeApps?: string },
  name = 'nvidia-smi',
): string {
  const path = join(dir, name);
  const cat = (f?: string) => (f ? `cat '${f.startsWith('/') ? f : FIXTURES + f}' || exit 3` : 'exit 3');
  writeFileSync(
    path,
    [
      '#!/bin/sh',
      'case "$1" in',
      `  -q) if [ "$3" = "-l" ]; then while :; do ${cat(files.xml)}; sleep "$4" >/dev/null; done; fi; ${cat(files.xml)} ;;`,
      `  --query-gpu=*) ${cat(files.queryGpu)} ;;`,
      `  --query-compute-apps=*) ${cat(files.computeApps)} ;;`,
      '  *) exit 2 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(path, 0o755);
  return path;
}

/** Writes an nvidia-smi that fails like a host whose driver is gone. */
export function brokenNvidiaSmi(dir: string): string {
  const path = join(dir, 'nvidia-smi-broken');
  writeFileSync(path, `#!/bin/sh\necho "${DRIVER_FAILURE}"\nexit 9\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A process to place in the fake /proc. */
export interface FakeProcess {
  pid: number;
  uid: number;
  cmdline: string[];
  cgroup?: string;
}

/** A /proc whose top-level files link to the real ones, plus the given processes. */
export function fakeProc(dir: string, processes: FakeProcess[]): string {
  const root = join(dir, 'proc');
  mkdirSync(root, { recursive: true });
  for (const f of ['stat', 'meminfo', 'loadavg', 'uptime', 'net', 'self']) symlinkSync(`/proc/${f}`, join(root, f));
  for (const p of processes) {
    const pd = join(root, String(p.pid));
    mkdirSync(pd);
    writeFileSync(join(pd, 'cmdline'), `${p.cmdline.join('\0')}\0`);
    writeFileSync(join(pd, 'cgroup'), p.cgroup ?? '0::/user.slice/user-1000.slice/session-1.scope\n');
    chownSync(pd, p.uid, p.uid);
  }
  return root;
}

/** A Docker Engine API on a Unix socket answering from fixtures: the list, and stats by container id. */
export async function fakeDockerEngine(
  socketPath: string,
  list: unknown[],
  statsById: Record<string, unknown>,
): Promise<{ server: Server; calls: string[]; close: () => Promise<void> }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://docker');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/containers/json') return send(200, list);
    const m = /^\/containers\/([0-9a-f]+)\/stats$/.exec(url.pathname);
    if (m && statsById[m[1]!]) return send(200, statsById[m[1]!]);
    send(404, { message: `No such container: ${m?.[1] ?? url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return { server, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
