/** Runs the bundled agent (dist/agent/fleetwatch-agent.mjs) as a real process. */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const AGENT = fileURLToPath(new URL('../../../dist/agent/fleetwatch-agent.mjs', import.meta.url));

/** Env that keeps a test agent away from the host's config, GPU and Docker. */
export const ISOLATED = {
  FLEETWATCH_CONFIG: '/dev/null',
  NVIDIA_SMI: '/nonexistent/nvidia-smi',
  DOCKER_SOCKET: '/nonexistent/docker.sock',
};

/** Runs the agent to completion; `bundle` runs a copy of it from elsewhere. */
export function runAgent(
  args: string[],
  env: Record<string, string> = {},
  options: { uid?: number; gid?: number; bundle?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { bundle = AGENT, ...ids } = options;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bundle, ...args],
      { env: { PATH: process.env.PATH, ...ISOLATED, ...env }, timeout: 30_000, ...ids },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** A long-running agent (`run`) whose JSON log lines are collected. */
export interface AgentProcess {
  child: ChildProcess;
  logs: () => Record<string, unknown>[];
  /** Resolves once `predicate` holds for the collected log lines. */
  waitFor: (predicate: (logs: Record<string, unknown>[]) => boolean, timeoutMs?: number) => Promise<void>;
  stop: () => Promise<number | null>;
}

export function startAgent(args: string[], env: Record<string, string>, nodeFlags: string[] = []): AgentProcess {
  const child = spawn(process.execPath, [...nodeFlags, AGENT, ...args], {
    env: { PATH: process.env.PATH, ...ISOLATED, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  child.stderr!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    logs: () => lines,
    waitFor: async (predicate, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(lines)) {
        if (child.exitCode !== null) throw new Error(`agent exited (${child.exitCode}): ${JSON.stringify(lines)}`);
        if (Date.now() > deadline)
          throw new Error(`timed out waiting; agent logs: ${JSON.stringify(lines.slice(-10))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
