/**
 * Runs one load process (bench/load/load-process.ts) against a started
 * server and returns its parsed result; its progress lines pass through to
 * our stderr.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadPlan, LoadResult } from './plan.js';

const SCRIPT = fileURLToPath(new URL('./load-process.ts', import.meta.url));

/** Spawns the load generator with `plan`; rejects when it fails or outlives `timeoutMs`. */
export function runLoad(plan: LoadPlan, timeoutMs: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(plan)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`load generator failed (${code ?? signal})`));
        return;
      }
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch (error) {
        reject(error);
      }
    });
  });
}
