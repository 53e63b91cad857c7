/**
 * GPU figures the views show. What "free" and "idle allocation" mean is
 * shared with the server: src/domain/gpu.ts.
 */
import { gpuMemoryShare, type GpuLike } from '../../../src/domain/gpu.js';

/** Memory in use, percent. */
export function memPct(gpu: GpuLike): number {
  return gpuMemoryShare(gpu) * 100;
}

/** Distinct user names running processes on a GPU. */
export function gpuUsers(gpu: { processes?: readonly { username: string }[] }): string[] {
  return [...new Set((gpu.processes ?? []).map((p) => p.username).filter((u) => u !== ''))];
}
