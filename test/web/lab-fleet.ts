/**
 * A simulated ML lab as a new user would run it: 8-GPU A100 and H100 boxes
 * whose jobs run in containers, a 16-GPU box with a long product name, a
 * login node, a NAS with tens of terabytes. Deterministic, so tests can
 * assert exact numbers and screenshots compare run to run.
 */
import type { ReportInput } from '../../src/contract/index.js';
import { makeReport } from '../helpers/reports.js';

type Gpu = NonNullable<ReportInput['gpus']>[number];

/** A product name long enough to wrap every place that shows one. */
export const LONG_GPU_NAME = 'NVIDIA H100 80GB HBM3 with a very long product name';

const PEOPLE = ['alice', 'bob', 'carol', 'dmitri', 'erin', 'farid', 'grace', 'hiro'];

/** GPU `index` of a lab box: busy, idle (held but not computing) or free, with its process in a container. */
export function labGpu(index: number, name: string, state: 'busy' | 'idle' | 'free', seed = 0): Gpu {
  const user = PEOPLE[(index + seed) % PEOPLE.length]!;
  const memory = state === 'free' ? 0 : 30_000 + ((index * 7919 + seed) % 45_000);
  return {
    index,
    name,
    utilization_pct: state === 'busy' ? 92 + ((index + seed) % 8) : state === 'idle' ? 0 : 0,
    memory_used_mb: memory,
    memory_total_mb: 81_559,
    temperature_celsius: state === 'busy' ? 71 + (index % 9) : 34,
    fan_speed_pct: null,
    power_draw_watts: state === 'busy' ? 610 + index * 3 : 72,
    processes:
      state === 'free'
        ? []
        : [
            {
              pid: 41_000 + index * 17 + seed,
              username: index % 4 === 3 ? 'root' : user,
              cmd: `python train.py --config ${user}/run-${index}.yaml`,
              used_memory_mb: memory - 500,
              type: 'C',
              container: `${user}-job-${index}`,
            },
          ],
  };
}

/** An 8- or 16-GPU lab box; `idle` GPUs are held by a process but do nothing, `free` ones are open. */
export function labGpuBox(
  alias: string,
  opts: { count: number; name: string; idle?: number[]; free?: number[]; seed?: number } & Partial<ReportInput>,
): ReportInput {
  const { count, name, idle = [], free = [], seed = 0, ...overrides } = opts;
  const gpus = Array.from({ length: count }, (_, i) =>
    labGpu(i, name, idle.includes(i) ? 'idle' : free.includes(i) ? 'free' : 'busy', seed),
  );
  const scratchPct = [95.2, 58.4, 41.7, 72.9, 33.1, 66.5, 49.8, 81.3, 27.6][seed % 9]!;
  return makeReport(alias, {
    ip: `10.1.2.${11 + seed}`,
    group: 'ml-lab',
    labels: ['gpu', name.includes('H100') ? 'h100' : 'a100'],
    cpu: { percent: 38 + seed * 6, loadavg: { '1m': 24.5 + seed * 3, '5m': 22.1 + seed, '15m': 20.3 + seed } },
    memory: { total_gb: 2015.5, used_gb: 1340.2 - seed * 90, percent: 66.5 - seed * 4.5 },
    disks: [
      { mountpoint: '/', fstype: 'ext4', free_gb: 310, total_gb: 915, percent: 66.1 },
      {
        mountpoint: '/scratch',
        fstype: 'xfs',
        free_gb: Math.round(14_900 * (1 - scratchPct / 100)),
        total_gb: 14_900,
        percent: scratchPct,
      },
    ],
    users: PEOPLE.slice(0, 3).map((u, i) => ({ name: u, tty: `pts/${i}`, host: `10.1.0.${20 + i}`, started: '' })),
    gpus,
    containers: gpus
      .flatMap((g) => g.processes ?? [])
      .map((p, i) => ({
        id: `c0ffee${String(i).padStart(6, '0')}`,
        name: p.container!,
        image: 'nvcr.io/nvidia/pytorch:24.05-py3',
        state: 'running',
        created: '2025-11-05T08:00:00Z',
        ports: '',
        cpu_pct: 98.5 + i,
        mem_mb: 48_000 + i * 1000,
      })),
    ...overrides,
  });
}

/** The NAS of the issue: "19000 GB free of 50000 GB". */
export function labNas(alias = 'nas-01'): ReportInput {
  return makeReport(alias, {
    ip: '10.1.3.2',
    users: [],
    group: 'storage',
    labels: ['nas', 'zfs'],
    gpus: [],
    containers: [],
    cpu: { percent: 6.5, loadavg: { '1m': 0.8, '5m': 0.7, '15m': 0.7 } },
    memory: { total_gb: 256, used_gb: 201.4, percent: 78.7 },
    disks: [
      { mountpoint: '/', fstype: 'ext4', free_gb: 88, total_gb: 118, percent: 25.4 },
      { mountpoint: '/tank', fstype: 'zfs', free_gb: 19_000, total_gb: 50_000, percent: 62 },
    ],
  });
}

/** The login node: many people, no GPU. */
export function labLogin(alias = 'login-01'): ReportInput {
  return makeReport(alias, {
    ip: '10.1.1.2',
    group: 'services',
    labels: ['login'],
    gpus: [],
    containers: [],
    users: PEOPLE.map((u, i) => ({ name: u, tty: `pts/${i}`, host: `10.1.0.${20 + i}`, started: '' })),
  });
}

/** The whole lab: twelve hosts; the last one is the host the caller lets go silent. */
export function labFleet(): ReportInput[] {
  return [
    labGpuBox('a100-01', { count: 8, name: 'NVIDIA A100-SXM4-80GB', idle: [5], free: [7], seed: 0 }),
    labGpuBox('a100-02', { count: 8, name: 'NVIDIA A100-SXM4-80GB', free: [2, 3], seed: 1 }),
    labGpuBox('a100-03', { count: 8, name: 'NVIDIA A100-SXM4-80GB', idle: [0, 1], seed: 2 }),
    labGpuBox('a100-04', { count: 8, name: 'NVIDIA A100-SXM4-80GB', seed: 3 }),
    labGpuBox('h100-01', { count: 8, name: 'NVIDIA H100 80GB HBM3', free: [6, 7], seed: 4 }),
    labGpuBox('h100-02', { count: 8, name: 'NVIDIA H100 80GB HBM3', idle: [4], seed: 5 }),
    labGpuBox('h100-03', { count: 8, name: 'NVIDIA H100 80GB HBM3', seed: 6 }),
    labGpuBox('dgx-h100-16', { count: 16, name: LONG_GPU_NAME, idle: [9], free: [15], seed: 7 }),
    labLogin(),
    labNas(),
    makeReport('web-01', { ip: '10.1.1.3', group: 'services', labels: ['web'], gpus: [], users: [] }),
    labGpuBox('a100-05', { count: 8, name: 'NVIDIA A100-SXM4-80GB', seed: 8 }),
  ];
}
