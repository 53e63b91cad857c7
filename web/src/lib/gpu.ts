/** What "free" and "busy" mean for a GPU, used by the summary, the overview and the GPU view. */
import type { Gpu } from './api.js';

type GpuLike = Pick<Gpu, 'utilization_pct' | 'memory_used_mb' | 'memory_total_mb'> & { processes?: readonly unknown[] };

/** Free: no processes, under 5% busy and under 5% of its memory in use. */
export function isGpuFree(gpu: GpuLike): boolean {
  const memShare = gpu.memory_total_mb > 0 ? gpu.memory_used_mb / gpu.memory_total_mb : 0;
  return (gpu.processes?.length ?? 0) === 0 && gpu.utilization_pct < 5 && memShare < 0.05;
}

/**
 * An idle allocation: processes hold the GPU (and usually its memory) but it
 * is under 5% busy, so nobody else can use it and nothing is computed on it.
 */
export function isGpuIdleAllocation(gpu: GpuLike): boolean {
  return (gpu.processes?.length ?? 0) > 0 && gpu.utilization_pct < 5;
}

export function memPct(gpu: GpuLike): number {
  return gpu.memory_total_mb > 0 ? (gpu.memory_used_mb / gpu.memory_total_mb) * 100 : 0;
}

/** Distinct user names running processes on a GPU. */
export function gpuUsers(gpu: { processes?: readonly { username: string }[] }): string[] {
  return [...new Set((gpu.processes ?? []).map((p) => p.username).filter((u) => u !== ''))];
}
