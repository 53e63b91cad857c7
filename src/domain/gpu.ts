/**
 * What "free", "busy" and "idle allocation" mean for a GPU. The dashboard's
 * summary, overview and GPU view use these, and so will alerts and the
 * exporter on the server: one definition, so they never disagree.
 */
import type { GpuReport } from '../contract/index.js';

/** The parts of a GPU the rules read. */
export type GpuLike = Pick<GpuReport, 'utilization_pct' | 'memory_used_mb' | 'memory_total_mb'> & {
  processes?: readonly unknown[];
};

/** Below this utilization (percent) a GPU computes nothing worth the name. */
export const GPU_IDLE_UTILIZATION_PCT = 5;
/** Below this share of its memory in use a GPU holds nothing worth the name. */
export const GPU_IDLE_MEMORY_SHARE = 0.05;

/** The share of a GPU's memory in use, 0–1 (0 when it reports no memory). */
export function gpuMemoryShare(gpu: GpuLike): number {
  return gpu.memory_total_mb > 0 ? gpu.memory_used_mb / gpu.memory_total_mb : 0;
}

/** Free: no processes, under 5% busy and under 5% of its memory in use, so anyone can start work on it. */
export function isGpuFree(gpu: GpuLike): boolean {
  return (
    (gpu.processes?.length ?? 0) === 0 &&
    gpu.utilization_pct < GPU_IDLE_UTILIZATION_PCT &&
    gpuMemoryShare(gpu) < GPU_IDLE_MEMORY_SHARE
  );
}

/**
 * An idle allocation: processes hold the GPU (and usually its memory) but it
 * is under 5% busy, so nobody else can use it and nothing is computed on it.
 */
export function isGpuIdleAllocation(gpu: GpuLike): boolean {
  return (gpu.processes?.length ?? 0) > 0 && gpu.utilization_pct < GPU_IDLE_UTILIZATION_PCT;
}
