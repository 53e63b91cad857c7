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

/** Who runs work on a GPU and in which container (null: on the host itself). */
export interface GpuWorker {
  user: string;
  container: string | null;
}

/**
 * Distinct (user, container) pairs of a GPU's processes, in process order: a
 * Docker job often runs as root, and only its container says whose it is.
 */
export function gpuWorkers(gpu: {
  processes?: readonly { username: string; container?: string | null }[];
}): GpuWorker[] {
  const seen = new Map<string, GpuWorker>();
  for (const p of gpu.processes ?? []) {
    const container = p.container ? containerLabel(p.container) : null;
    const key = `${p.username}\u0000${container ?? ''}`;
    if (!seen.has(key) && (p.username !== '' || container)) seen.set(key, { user: p.username, container });
  }
  return [...seen.values()];
}

/** Distinct containers running processes on a GPU, as people know them (containerLabel). */
export function gpuContainers(gpu: Parameters<typeof gpuWorkers>[0]): string[] {
  return [...new Set(gpuWorkers(gpu).flatMap((w) => (w.container === null ? [] : [w.container])))];
}

/** A container as people know it: its name, or a full 64-digit id cut to Docker's 12. */
export function containerLabel(container: string): string {
  return /^[0-9a-f]{64}$/.test(container) ? container.slice(0, 12) : container;
}
