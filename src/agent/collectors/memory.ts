/**
 * Memory as `free` (procps-ng 4) computes it: used = MemTotal - MemAvailable,
 * which leaves out reclaimable cache and buffers. Kernels older than 3.14 lack
 * MemAvailable; there used = total - free - buffers - cached - SReclaimable,
 * the older procps formula. Sizes are GiB (what `free -g` calls GB) with two
 * decimals, so small hosts no longer report 0.
 */
import { readText } from './read-text.js';

/** The memory section of a report. */
export interface MemoryReport {
  total_gb: number;
  used_gb: number;
  percent: number;
}

const GIB = 1024 ** 3;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Parses /proc/meminfo text into bytes per key. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]) * (line.includes('kB') ? 1024 : 1));
  }
  return out;
}

/** Used bytes the way `free` counts them. */
export function usedBytes(info: Map<string, number>): number {
  const total = info.get('MemTotal') ?? 0;
  const available = info.get('MemAvailable');
  if (available !== undefined) return Math.max(0, total - available);
  const cache = (info.get('Cached') ?? 0) + (info.get('SReclaimable') ?? 0);
  return Math.max(0, total - (info.get('MemFree') ?? 0) - (info.get('Buffers') ?? 0) - cache);
}

/** Reads /proc/meminfo (path injectable for tests). */
export async function collectMemory(procMeminfo = '/proc/meminfo'): Promise<MemoryReport> {
  const info = parseMeminfo(readText(procMeminfo));
  const total = info.get('MemTotal') ?? 0;
  const used = usedBytes(info);
  return {
    total_gb: round2(total / GIB),
    used_gb: round2(used / GIB),
    percent: total > 0 ? Math.round((used / total) * 1000) / 10 : 0,
  };
}
