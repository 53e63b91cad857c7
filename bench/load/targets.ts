/**
 * Starts the servers under test as separate processes on 127.0.0.1: the real
 * Fleetwatch build (dist/server/main.js, default durability, fresh temp
 * DATA_DIR, fixed API key) and the two baselines from bench/baselines/.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/helpers/server-process.js';

/** Which server runs. */
export type TargetKind = 'fleetwatch' | 'fleetwatch-no-history' | 'framework-floor' | 'ceiling' | 'model';

/** A running server under test. */
export interface Target {
  kind: TargetKind;
  url: string;
  pid: number;
  /** Peak resident memory of the server process so far, MiB (VmHWM). */
  peakRssMiB: () => number;
  /** SIGTERM, wait for exit, remove its data directory. */
  stop: () => Promise<void>;
}

/** A server that takes longer than this to shut down gets a warning with the end of its log. */
const SLOW_STOP_SECONDS = 5;

/** The key every benchmark report carries. */
export const BENCH_API_KEY = 'bench-key-0123456789abcdef';

const root = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/** What a section may add to a server's start: data written before it starts, more environment. */
export interface TargetSetup {
  /** Fills the fresh DATA_DIR before the server opens it. */
  prepare?: (dataDir: string) => Promise<void>;
  env?: Record<string, string>;
}

/** The baselines' servers, in bench/baselines/. */
const BASELINE_FILES: Record<Exclude<TargetKind, 'fleetwatch' | 'fleetwatch-no-history'>, string> = {
  ceiling: 'ceiling-server',
  model: 'original-model-server',
  'framework-floor': 'framework-floor-server',
};

/** Starts `kind`; `cpuProfDir` adds `node --cpu-prof` (Fleetwatch only) for finding bottlenecks. */
export async function startTarget(kind: TargetKind, cpuProfDir?: string, setup: TargetSetup = {}): Promise<Target> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `fleetwatch-bench-${kind}-`));
  await setup.prepare?.(dataDir);
  const args =
    kind === 'fleetwatch' || kind === 'fleetwatch-no-history'
      ? [...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []), root('dist/server/main.js')]
      : ['--import', 'tsx', root(`bench/baselines/${BASELINE_FILES[kind]}.ts`)];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      API_KEY: BENCH_API_KEY,
      SQLITE_SYNCHRONOUS: 'FULL',
      WORKERS: '1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      // Every server keeps the hosts up for the whole run, however long it takes: a fleet going down halfway
      // would change the bodies being compared (the ceiling, caching its status once, would not notice).
      STALE_THRESHOLD_SECONDS: '3600',
      HISTORY_ENABLED: kind === 'fleetwatch-no-history' ? 'false' : 'true',
      ...setup.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => {
    output = (output + d).slice(-20_000);
  });
  child.stderr!.on('data', (d) => {
    output = (output + d).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} exited early (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${kind} did not start in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  return {
    kind,
    url,
    pid,
    peakRssMiB: () => {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : NaN;
    },
    stop: async () => {
      const asked = performance.now();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
      const seconds = (performance.now() - asked) / 1000;
      if (child.exitCode !== 0 && child.signalCode !== 'SIGTERM') {
        process.stderr.write(
          `warning: ${kind} exited with ${child.exitCode ?? child.signalCode}:\n${output.slice(-2000)}\n`,
        );
      } else if (seconds > SLOW_STOP_SECONDS) {
        process.stderr.write(`warning: ${kind} took ${seconds.toFixed(1)} s to stop:\n${output.slice(-2000)}\n`);
      }
    },
  };
}
