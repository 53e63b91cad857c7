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

/** Distinct (user, container) pairs of a GPU's processes; container is null for a process outside any. */
export function gpuOwners(gpu: {
  processes?: readonly { username: string; container?: string | null }[];
}): { user: string; container: string | null }[] {
  const seen = new Map<string, { user: string; container: string | null }>();
  for (const p of gpu.processes ?? []) {
    const container = p.container || null;
    if (p.username === '' && container === null) continue;
    seen.set(JSON.stringify([p.username, container]), { user: p.username, container });
  }
  return [...seen.values()];
}
