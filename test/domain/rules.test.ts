/** The shared rules: when a GPU is free or an idle allocation, and when a host is down. Edges included. */
import { describe, expect, it } from 'vitest';
import { gpuMemoryShare, isGpuFree, isGpuIdleAllocation } from '../../src/domain/gpu.js';
import { isHostUp } from '../../src/domain/host.js';

const proc = { pid: 1, username: 'alice', cmd: 'python train.py', used_memory_mb: 100, type: 'C', container: null };
const gpu = (utilization_pct: number, memory_used_mb: number, processes: unknown[] = [], memory_total_mb = 10_000) => ({
  utilization_pct,
  memory_used_mb,
  memory_total_mb,
  processes,
});

describe('GPU free', () => {
  it.each([
    ['idle and empty', gpu(0, 0), true],
    ['just under both thresholds', gpu(4.99, 499), true],
    ['at 5% busy', gpu(5, 0), false],
    ['at 5% of its memory', gpu(0, 500), false],
    ['held by a process, though idle and empty', gpu(0, 0, [proc]), false],
    ['reporting no memory at all (0 of 0 MB)', gpu(0, 0, [], 0), true],
    [
      'without a process list (the original agent may omit it)',
      { utilization_pct: 0, memory_used_mb: 0, memory_total_mb: 10_000 },
      true,
    ],
  ])('%s', (_name, g, free) => {
    expect(isGpuFree(g)).toBe(free);
  });
});

describe('GPU idle allocation', () => {
  it.each([
    ['held and idle', gpu(0, 9000, [proc]), true],
    ['held at just under 5%', gpu(4.9, 9000, [proc]), true],
    ['held and at 5%', gpu(5, 9000, [proc]), false],
    ['idle but held by nobody', gpu(0, 9000), false],
  ])('%s', (_name, g, idle) => {
    expect(isGpuIdleAllocation(g)).toBe(idle);
  });

  it('is never free at the same time', () => {
    for (const util of [0, 2, 5, 50])
      for (const mem of [0, 400, 600])
        for (const procs of [[], [proc]]) {
          const g = gpu(util, mem, procs);
          expect(isGpuFree(g) && isGpuIdleAllocation(g)).toBe(false);
        }
  });

  it('measures memory as a share of the total', () => {
    expect(gpuMemoryShare(gpu(0, 2500))).toBe(0.25);
    expect(gpuMemoryShare(gpu(0, 100, [], 0))).toBe(0);
  });
});

describe('host up', () => {
  const stale = 300_000;
  const received = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['just received', received, true],
    ['exactly at the threshold', received + stale, true],
    ['one ms past it', received + stale + 1, false],
    ['long silent', received + 10 * stale, false],
    // A server clock behind the receive time (another process's clock, say) still counts as fresh.
    ['received "in the future"', received - 1000, true],
  ])('%s', (_name, now, up) => {
    expect(isHostUp(received, now, stale)).toBe(up);
  });
});
