/**
 * Runs the built server (dist/server/main.js) as a real process on a free
 * port, for end-to-end tests: real HTTP, real signals, real files.
 *
 * The process sees only what the test passes (plus PATH, HOME and TMPDIR)
 * and runs in an empty directory, so the developer's exported variables and
 * the checkout's .env (a short STALE_THRESHOLD_SECONDS, say) never reach it.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));

/** Variables a test server keeps from the test runner's environment. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR'];

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** Sends a signal and waits for the process to exit; resolves with its exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

let emptyDir: string | undefined;

/** An empty working directory for test servers (no .env), removed when the test process exits. */
function emptyWorkingDir(): string {
  if (emptyDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'fw-server-cwd-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    emptyDir = dir;
  }
  return emptyDir;
}

/** The whole environment of a test server: the basics, then listen defaults, then `env`. */
export function serverEnv(env: Record<string, string>): Record<string, string> {
  const basics = Object.fromEntries(
    INHERITED.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
  return { ...basics, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
}

/** Spawns the server with `serverEnv(env)` in an empty directory unless `options.cwd` says otherwise. */
export function spawnServer(
  env: Record<string, string>,
  { args = [], ...options }: SpawnOptions & { args?: string[] } = {},
): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
    cwd: options.cwd ?? emptyWorkingDir(),
    env: serverEnv(env),
  });
}

/** Runs a server that is expected to stop by itself (a refused start); resolves with its exit code and output. */
export async function runServerToExit(
  env: Record<string, string>,
  options: SpawnOptions & { timeoutMs?: number; args?: string[] } = {},
): Promise<{ code: number | null; output: string }> {
  const { timeoutMs = 20_000, ...spawnOptions } = options;
  const child = spawnServer({ PORT: String(await freePort()), ...env }, spawnOptions);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

export async function startServer(env: Record<string, string>, port?: number, cwd?: string): Promise<ServerProcess> {
  const chosen = port ?? (await freePort());
  let out = '';
  const child = spawnServer({ PORT: String(chosen), ...env }, cwd ? { cwd } : {});
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port: chosen,
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
