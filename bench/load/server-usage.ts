/**
 * A server process's CPU time and resident memory, read from /proc (Linux),
 * and a sampler of both over a stretch of load. CPU is in % of one core.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** utime + stime of `pid`, in clock ticks. */
export function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident memory of `pid` now, MiB (VmRSS). */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** One sample: seconds since sampling started, CPU since the sample before (% of one core), RSS now. */
export interface UsageSample {
  t: number;
  cpuPct: number;
  rssMiB: number;
}

/** Samples `pid` every `everyMs` until stopped; stop() returns the samples and the mean CPU over the whole stretch. */
export function sampleUsage(
  pid: number,
  everyMs: number,
): { stop: () => { samples: UsageSample[]; meanCpuPct: number } } {
  const started = performance.now();
  const firstTicks = cpuTicks(pid);
  let lastTicks = firstTicks;
  let lastAt = started;
  const samples: UsageSample[] = [];
  const timer = setInterval(() => {
    const at = performance.now();
    const ticks = cpuTicks(pid);
    samples.push({ t: (at - started) / 1000, cpuPct: cpuPercent(ticks - lastTicks, at - lastAt), rssMiB: rssMiB(pid) });
    lastTicks = ticks;
    lastAt = at;
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { samples, meanCpuPct: cpuPercent(cpuTicks(pid) - firstTicks, performance.now() - started) };
    },
  };
}

function cpuPercent(ticks: number, ms: number): number {
  return ms > 0 ? (ticks / TICKS_PER_SECOND / (ms / 1000)) * 100 : 0;
}
