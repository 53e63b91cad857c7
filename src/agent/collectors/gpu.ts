/**
 * GPUs through nvidia-smi. The default `xml` mode reads `nvidia-smi -q -x`:
 * it lists every process (compute and graphics, with its type) under its own
 * GPU. The `run` loop keeps one `nvidia-smi -q -x -l INTERVAL` running
 * (gpu-stream.ts) and falls back to one run per cycle while that is down. `csv` mode runs `--query-gpu` and
 * `--query-compute-apps` (cheaper on big hosts, compute processes only) and
 * matches processes to GPUs by uuid. Either way each process gets its user,
 * command line and container from /proc. A host without nvidia-smi, or with
 * a broken driver, reports no GPUs and says why once.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { readTextOr } from './read-text.js';
import { constants } from 'node:fs';
import type { GpuReport } from '../../contract/index.js';
import type { LogOnce } from '../log-once.js';
import { parseNvidiaSmiXml } from './gpu-xml.js';
import { parseQueryGpu, parseComputeApps, attachByUuid, QUERY_GPU_FIELDS, QUERY_APPS_FIELDS } from './gpu-csv.js';
import { parsePasswd, processInfo } from './process-info.js';
import type { GpuSample } from './gpu-values.js';
import { NvidiaSmiStream, type GpuStreamOptions } from './gpu-stream.js';

/** How the GPU collector runs. */
export interface GpuSource {
  /** The nvidia-smi executable (a path or a name looked up in PATH). */
  nvidiaSmi: string;
  /** `xml` (default, `-q -x`) or `csv` (`--query-gpu` + `--query-compute-apps`). */
  mode: 'xml' | 'csv';
  procRoot: string;
  passwd: string;
  timeoutMs: number;
}

/** An nvidia-smi failure with a one-line reason fit for a log. */
export class NvidiaSmiError extends Error {}

/**
 * Whether `command` exists as an executable (looked up in PATH when it has no
 * slash). Checked before every run because a failed exec still costs a fork,
 * which on a GPU-less host would be paid every cycle for nothing.
 */
async function executable(command: string): Promise<boolean> {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '/usr/bin:/bin')
        .split(':')
        .filter(Boolean)
        .map((dir) => `${dir}/${command}`);
  for (const path of candidates) {
    if (
      await access(path, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return true;
  }
  return false;
}

/** Runs nvidia-smi; rejects with the reason it printed (it prints driver errors on stdout). */
export async function runNvidiaSmi(source: GpuSource, args: string[]): Promise<string> {
  if (!(await executable(source.nvidiaSmi))) throw new NvidiaSmiError(`${source.nvidiaSmi} not found`);
  return new Promise((resolve, reject) => {
    execFile(
      source.nvidiaSmi,
      args,
      { timeout: source.timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return reject(new NvidiaSmiError(`${source.nvidiaSmi} not found`));
        if (code === 'EACCES') return reject(new NvidiaSmiError(`${source.nvidiaSmi} is not executable`));
        if (err.killed) return reject(new NvidiaSmiError(`${source.nvidiaSmi} timed out after ${source.timeoutMs} ms`));
        const said = `${stdout}\n${stderr}`
          .split('\n')
          .map((l) => l.trim())
          .find((l) => l !== '');
        reject(new NvidiaSmiError(`${source.nvidiaSmi} exited with ${code ?? err.signal}${said ? `: ${said}` : ''}`));
      },
    );
  });
}

async function sample(source: GpuSource): Promise<GpuSample[]> {
  if (source.mode === 'xml') return parseNvidiaSmiXml(await runNvidiaSmi(source, ['-q', '-x']));
  const [gpus, apps] = await Promise.all([
    runNvidiaSmi(source, [`--query-gpu=${QUERY_GPU_FIELDS}`, '--format=csv,nounits']),
    runNvidiaSmi(source, [`--query-compute-apps=${QUERY_APPS_FIELDS}`, '--format=csv,nounits']),
  ]);
  return attachByUuid(parseQueryGpu(gpus), parseComputeApps(apps));
}

/** Turns nvidia-smi samples into report GPUs, enriching processes from /proc. */
export async function enrichGpus(
  samples: GpuSample[],
  source: Pick<GpuSource, 'procRoot' | 'passwd'>,
  containerName: (id: string) => string = (id) => id,
): Promise<GpuReport[]> {
  const users = parsePasswd(readTextOr(source.passwd, ''));
  const pids = [...new Set(samples.flatMap((g) => g.processes.map((p) => p.pid)))];
  const infos = new Map(
    await Promise.all(pids.map(async (pid) => [pid, await processInfo(source.procRoot, pid, users)] as const)),
  );
  return samples.map(({ processes, ...gpu }) => ({
    ...gpu,
    processes: processes.map((p) => {
      const info = infos.get(p.pid);
      return {
        pid: p.pid,
        username: info?.username ?? 'unknown',
        cmd: info?.cmd || p.name,
        used_memory_mb: p.used_memory_mb,
        type: p.type,
        container: info?.containerId ? containerName(info.containerId) : null,
      };
    }),
  }));
}

/** Collects GPUs; any failure yields [] and one log line per distinct reason. Containers are short ids. */
export async function collectGpus(source: GpuSource, logOnce: LogOnce): Promise<GpuReport[]> {
  let samples: GpuSample[];
  try {
    samples = await sample(source);
  } catch (err) {
    logOnce.fail(
      err instanceof NvidiaSmiError ? err.message : `nvidia-smi output not understood: ${(err as Error).message}`,
    );
    return [];
  }
  logOnce.ok();
  return enrichGpus(samples, source);
}

/** Collects GPUs each cycle; in xml mode with a stream, from one long-running nvidia-smi. */
export class GpuCollector {
  private readonly stream: NvidiaSmiStream | undefined;
  private readonly maxAgeMs: number;

  constructor(
    private readonly source: GpuSource,
    private readonly logOnce: LogOnce,
    stream?: Pick<GpuStreamOptions, 'periodSeconds' | 'onEvent' | 'restartMs'>,
  ) {
    this.stream =
      stream && source.mode === 'xml' ? new NvidiaSmiStream({ ...stream, nvidiaSmi: source.nvidiaSmi }) : undefined;
    // A document normally is at most one period old; two periods and some slack allow for a slow driver.
    this.maxAgeMs = (stream?.periodSeconds ?? 0) * 2000 + 5000;
  }

  /** How many times the long-running nvidia-smi has been started (0 without a stream). */
  get streamStarts(): number {
    return this.stream?.starts ?? 0;
  }

  async collect(): Promise<GpuReport[]> {
    const stream = this.stream;
    if (stream && (stream.running || (await executable(this.source.nvidiaSmi)))) {
      const samples = await stream.samples(this.maxAgeMs, this.source.timeoutMs);
      if (samples) {
        this.logOnce.ok();
        return enrichGpus(samples, this.source);
      }
    }
    // No stream, or it is down or silent: one nvidia-smi for this cycle, whose failure says why.
    return collectGpus(this.source, this.logOnce);
  }

  /** Stops the long-running nvidia-smi. */
  close(): void {
    this.stream?.close();
  }
}
