/**
 * CPU busy percent from /proc/stat deltas. Busy is every non-idle jiffy
 * (user, nice, system, irq, softirq, steal), not only the user share the
 * original agent took from `top`. Guest time is already inside user/nice.
 */
import { readText } from './read-text.js';

/** Jiffy counters of one `cpu` line: total and idle (idle + iowait). */
export interface CpuTimes {
  total: number;
  idle: number;
}

/** One reading of /proc/stat: the aggregate line and one entry per core. */
export interface CpuSample {
  all: CpuTimes;
  cores: CpuTimes[];
}

/** Parses /proc/stat text into jiffy counters. */
export function parseProcStat(text: string): CpuSample {
  let all: CpuTimes | undefined;
  const cores: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [label, ...rest] = line.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal guest guest_nice
    const n = rest.slice(0, 8).map(Number);
    const times = { total: n.reduce((a, b) => a + b, 0), idle: (n[3] ?? 0) + (n[4] ?? 0) };
    if (label === 'cpu') all = times;
    else cores.push(times);
  }
  if (!all) throw new Error('no aggregate cpu line in /proc/stat');
  return { all, cores };
}

/** Busy percent between two readings, rounded to 0.1; 0 when no time passed. */
export function busyPercent(prev: CpuTimes, next: CpuTimes): number {
  const total = next.total - prev.total;
  const idle = next.idle - prev.idle;
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round(((total - idle) / total) * 1000) / 10));
}

/** Parses /proc/loadavg. */
export function parseLoadavg(text: string): { '1m': number; '5m': number; '15m': number } {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  return { '1m': a ?? 0, '5m': b ?? 0, '15m': c ?? 0 };
}

/** Where the CPU collector reads from. */
export interface CpuSource {
  procStat: string;
  procLoadavg: string;
  perCore: boolean;
}

/** Keeps the previous reading so each cycle's percent covers the whole interval. */
export class CpuCollector {
  private prev: CpuSample | undefined;
  constructor(private readonly source: CpuSource) {}

  /** Reads /proc/stat once; on the very first call, waits `firstWindowMs` for a second reading. */
  async collect(
    firstWindowMs = 250,
  ): Promise<{ percent: number; loadavg: ReturnType<typeof parseLoadavg>; per_core?: number[] }> {
    if (!this.prev) {
      this.prev = parseProcStat(readText(this.source.procStat));
      await new Promise((r) => setTimeout(r, firstWindowMs));
    }
    const next = parseProcStat(readText(this.source.procStat));
    const prev = this.prev;
    this.prev = next;
    const loadavg = parseLoadavg(readText(this.source.procLoadavg));
    const out: { percent: number; loadavg: typeof loadavg; per_core?: number[] } = {
      percent: busyPercent(prev.all, next.all),
      loadavg,
    };
    if (this.source.perCore) {
      out.per_core = next.cores.map((c, i) => (prev.cores[i] ? busyPercent(prev.cores[i]!, c) : 0));
    }
    return out;
  }
}
