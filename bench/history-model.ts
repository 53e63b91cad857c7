/**
 * Values that move like a real fleet's, for the history benchmark: noisy
 * series (CPU, load, GPU utilisation, temperature and power, container CPU)
 * change at every report by what the agent's precision shows, slow ones
 * (memory, disks, GPU memory, container memory) drift. This is harder on
 * compression than reports that repeat, and closer to what a server keeps.
 * Deterministic: the same host and time give the same report.
 */
import type { NormalizedReport } from '../src/contract/index.js';

/** A number in [0, 1) from a host, a time and a series index (a hash, so any order of calls agrees). */
function noise(host: number, t: number, series: number): number {
  let x = Math.imul(host + 1, 0x9e3779b1) ^ Math.imul(t, 0x85ebca6b) ^ Math.imul(series + 7, 0xc2b2ae35);
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return (x >>> 0) / 2 ** 32;
}

const round = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** A slow, smooth swing in [-1, 1] with a period of a few hours, different per host and series. */
const swing = (host: number, t: number, series: number) =>
  Math.sin(t / (3600 * (2 + (series % 5))) + host * 1.7 + series);

/** The report of host `host` (its fleet report `base`) at unix second `t`. */
export function reportAtTime(base: NormalizedReport, host: number, t: number): NormalizedReport {
  const jitter = (s: number, amp: number) => (noise(host, t, s) - 0.5) * 2 * amp;
  const cpu = clamp(base.cpu.percent + 20 * swing(host, t, 1) + jitter(1, 8), 0, 100);
  const load1 = round(clamp(cpu / 20 + jitter(2, 0.3), 0, 64), 2);
  const memPct = round(clamp(base.memory.percent + 10 * swing(host, t, 3) + jitter(3, 0.2), 0, 100), 1);
  return {
    ...base,
    timestamp: new Date(t * 1000).toISOString(),
    cpu: {
      ...base.cpu,
      percent: round(cpu, 1),
      loadavg: { '1m': load1, '5m': round(cpu / 20 + swing(host, t, 4) * 0.2, 2), '15m': round(cpu / 20, 2) },
    },
    memory: { ...base.memory, percent: memPct, used_gb: round((base.memory.total_gb * memPct) / 100, 2) },
    disks: base.disks.map((d, i) => {
      const pct = round(clamp(d.percent + (t % 604_800) / 604_800 + jitter(10 + i, 0.02), 0, 100), 1);
      return { ...d, percent: pct, free_gb: round(d.total_gb * (1 - pct / 100), 2) };
    }),
    gpus: base.gpus.map((g, i) => {
      const busy = swing(host, t, 20 + i) > -0.3;
      const util = busy ? Math.round(clamp(85 + jitter(20 + i, 15), 0, 100)) : 0;
      const mem = busy ? g.memory_used_mb : 3;
      return {
        ...g,
        utilization_pct: util,
        memory_used_mb: mem,
        temperature_celsius: Math.round(35 + util / 3 + jitter(30 + i, 2)),
        power_draw_watts: round(60 + util * 3 + jitter(40 + i, 25), 2),
        processes: busy ? (g.processes ?? []) : [],
      };
    }),
    containers: base.containers.map((c, i) => ({
      ...c,
      cpu_pct:
        c.state === 'running'
          ? round(clamp((c.cpu_pct ?? 0) + 5 * swing(host, t, 50 + i) + jitter(50 + i, 3), 0, 800), 2)
          : 0,
      mem_mb: c.state === 'running' ? round((c.mem_mb ?? 0) * (1 + 0.2 * swing(host, t, 80 + i)), 1) : 0,
    })),
  };
}
