/**
 * Realistic reports for N simulated hosts, shared by the benchmark sections.
 * The mix is the one the server is sized for: every host has 20 containers
 * and 4 disks, and a quarter of the hosts are GPU boxes with 8 GPUs, each
 * running one process. GPUs carry every field the Fleetwatch agent sends
 * (uuid, power limit, the process's container), so every server in a
 * comparison serves bodies of the same size. Output is deterministic (same
 * N, same reports), so runs compare. Addresses are from 198.18.0.0/15, the range reserved for
 * benchmarks; they are data only, nothing is ever sent to them.
 */
import type { ContainerReport, DiskReport, ReportInput } from '../src/contract/index.js';
import { makeReport } from '../test/helpers/reports.js';

type Gpu = NonNullable<ReportInput['gpus']>[number];

/** How the simulated fleet is made up. */
export interface FleetShape {
  /** Every `gpuEvery`-th host is a GPU box (4: a quarter). */
  gpuEvery: number;
  /** GPUs in a GPU box, one process each. */
  gpusPerGpuHost: number;
  /** Containers on every host. */
  containersPerHost: number;
  /** Disks on every host. */
  disksPerHost: number;
}

/** The mix from the server's sizing brief. */
export const DEFAULT_FLEET: FleetShape = { gpuEvery: 4, gpusPerGpuHost: 8, containersPerHost: 20, disksPerHost: 4 };

/** The alias of simulated host `i` (0-based): host-00000, host-00001, ... */
export function hostAlias(i: number): string {
  return `host-${String(i).padStart(5, '0')}`;
}

/** One report per simulated host, hosts 0..count-1, as the Fleetwatch agent would send them. */
export function fleetReports(
  count: number,
  shape: FleetShape = DEFAULT_FLEET,
  timestamp = new Date().toISOString(),
): ReportInput[] {
  return Array.from({ length: count }, (_, i) => hostReport(i, shape, timestamp));
}

/** The report of simulated host `i`. Numbers vary by host so that bodies are not all alike. */
export function hostReport(
  i: number,
  shape: FleetShape = DEFAULT_FLEET,
  timestamp = new Date().toISOString(),
): ReportInput {
  const alias = hostAlias(i);
  const gpuBox = i % shape.gpuEvery === 0;
  const wave = (k: number): number => Math.floor(((i * 7919 + k * 104_729) % 1000) / 10); // 0..99, stable per host
  return makeReport(alias, {
    hostname: alias,
    ip: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    uptime_seconds: 86_400 + i * 37,
    cpu: { percent: wave(1) + 0.5, loadavg: { '1m': wave(2) / 10, '5m': wave(3) / 10, '15m': wave(4) / 10 } },
    memory: { total_gb: gpuBox ? 512 : 64, used_gb: wave(5) / 2, percent: wave(5) + 0.25 },
    disks: Array.from({ length: shape.disksPerHost }, (_, d): DiskReport => ({
      mountpoint: d === 0 ? '/' : `/data${d}`,
      fstype: d === 0 ? 'ext4' : 'xfs',
      free_gb: 100 + wave(10 + d),
      total_gb: 1000,
      percent: wave(10 + d) + 0.5,
    })),
    users: [
      { name: 'alice', tty: 'pts/0', host: '198.19.0.5', started: '2025-11-06T09:30:00' },
      { name: 'bob', tty: 'pts/1', host: '198.19.0.6', started: '2025-11-06T10:12:00' },
    ],
    gpus: gpuBox
      ? Array.from({ length: shape.gpusPerGpuHost }, (_, g): Gpu => ({
          index: g,
          name: 'NVIDIA A100-SXM4-80GB',
          uuid: gpuUuid(i, g),
          utilization_pct: wave(20 + g),
          memory_used_mb: 40_000 + g * 1000,
          memory_total_mb: 81_920,
          temperature_celsius: 40 + (wave(30 + g) % 40),
          fan_speed_pct: null,
          power_draw_watts: 250.5 + g,
          power_limit_watts: 400,
          processes: [
            {
              pid: 10_000 + i * 10 + g,
              username: g % 2 ? 'alice' : 'bob',
              cmd: `python train.py --rank ${g} --config configs/run-${i}.yaml`,
              used_memory_mb: 39_000 + g * 1000,
              type: 'C',
              container: g % 2 ? null : 'svc-0',
            },
          ],
        }))
      : [],
    containers: Array.from({ length: shape.containersPerHost }, (_, c): ContainerReport => ({
      id: (((i * 131 + c) * 2_654_435_761) % 2 ** 48).toString(16).padStart(12, '0'),
      name: `svc-${c}`,
      image: c % 3 ? `registry.example/team/svc-${c}:1.${c}` : 'pytorch/pytorch:2.4.0-cuda12.1',
      state: c % 7 === 6 ? 'exited' : 'running',
      created: '2025-11-05T08:00:00Z',
      ports: c % 2 ? '' : `0.0.0.0:${8000 + c}->${8000 + c}/tcp`,
      cpu_pct: wave(40 + c) / 4,
      mem_mb: 256 + c * 64,
    })),
    timestamp,
    group: `rack-${Math.floor(i / 40)}`,
    os: 'Ubuntu 22.04.4 LTS',
    labels: gpuBox ? ['gpu', 'nvidia', 'ml'] : ['cpu'],
  });
}

/** A stable, host- and GPU-specific UUID in nvidia-smi's format (GPU-8-4-4-4-12 hex digits). */
function gpuUuid(host: number, gpu: number): string {
  const hex = (host * 16 + gpu).toString(16).padStart(12, '0');
  return `GPU-5a3f0c1e-7b2d-4e9a-8c6f-${hex}`;
}

/** Placeholder that `reportTemplate` splits on. */
const STAMP = '\u0000timestamp\u0000';

/**
 * A report's JSON split around its timestamp, so a load generator can send
 * it with a fresh timestamp (`before + iso + after`) without serializing it
 * again per request.
 */
export function reportTemplate(report: ReportInput): { before: string; after: string } {
  const json = JSON.stringify({ ...report, timestamp: STAMP });
  const [before, after] = json.split(JSON.stringify(STAMP)) as [string, string];
  return { before: `${before}"`, after: `"${after}` };
}
