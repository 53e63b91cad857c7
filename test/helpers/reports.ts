/**
 * Report builders for tests and benchmarks. `legacyAgentReport` reproduces
 * exactly what the original bash agent sends (see compat-contract.md).
 */
import type { ReportInput } from '../../src/contract/index.js';

/** A tidy report like the Fleetwatch agent sends. */
export function makeReport(alias: string, overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    server_alias: alias,
    hostname: alias.replace(/[^a-z0-9-]/gi, ''),
    ip: '10.0.0.11',
    uptime_seconds: 2_592_000,
    cpu: { percent: 23.4, loadavg: { '1m': 1.2, '5m': 1.1, '15m': 0.9 } },
    memory: { total_gb: 64, used_gb: 20, percent: 31.2 },
    disks: [{ mountpoint: '/', fstype: 'ext4', free_gb: 100, total_gb: 200, percent: 50 }],
    users: [{ name: 'satya', tty: 'pts/0', host: '192.168.0.5', started: '2025-11-06T09:30:00' }],
    gpus: [
      {
        index: 0,
        name: 'RTX 3090',
        utilization_pct: 72,
        memory_used_mb: 9000,
        memory_total_mb: 24576,
        temperature_celsius: 61,
        fan_speed_pct: 40,
        power_draw_watts: 250.5,
        processes: [{ pid: 4242, username: 'satya', cmd: 'python train.py', used_memory_mb: 8900, type: 'C' }],
      },
    ],
    containers: [
      {
        id: '2f1c3d4e',
        name: 'trainer',
        image: 'pytorch:2.4-cuda',
        state: 'running',
        created: '2025-11-05T08:00:00Z',
        ports: '0.0.0.0:8888->8888/tcp',
        cpu_pct: 14.2,
        mem_mb: 2048,
      },
    ],
    timestamp: new Date().toISOString(),
    machine_type: 'host',
    group: 'production',
    os: 'Ubuntu 22.04',
    labels: ['gpu', 'nvidia', 'ml'],
    ...overrides,
  };
}

/** What the original bash agent really sends, quirks included. */
export function legacyAgentReport(alias: string): Record<string, unknown> {
  const hostProcesses = [
    { pid: 1234, username: 'alice', cmd: 'python train.py --epochs 10', used_memory_mb: 10240, type: 'C' },
    { pid: 2345, username: 'bob', cmd: '/usr/bin/python3 infer.py', used_memory_mb: 2048, type: 'C' },
  ];
  return {
    server_alias: alias,
    hostname: 'gpu01',
    ip: '10.0.0.11',
    uptime_seconds: 86400,
    cpu: { percent: 3.1, loadavg: { one_min: 0.52, five_min: 0.48, fifteen_min: 0.4 } },
    memory: { total_gb: 3, used_gb: 0, percent: 12.5 },
    disks: [
      { mountpoint: '/', fstype: 'ext4', free_gb: 20, total_gb: 50, percent: 60 },
      { mountpoint: '/boot/efi', fstype: 'ext4', free_gb: 0, total_gb: 0, percent: 2 },
    ],
    users: [
      { name: 'alice', tty: 'pts/0', host: '(192.168.0.5)', started: '2025-11-06 09:30' },
      { name: 'root', tty: 'tty1', host: 'localhost', started: '2025-11-01 08:00' },
    ],
    gpus: [0, 1].map((index) => ({
      index,
      name: 'NVIDIA GeForce RTX 3090',
      utilization_pct: 55,
      memory_used_mb: 12288,
      memory_total_mb: 24576,
      temperature_celsius: null,
      fan_speed_pct: null,
      power_draw_watts: null,
      processes: hostProcesses,
    })),
    containers: [
      {
        id: 'a1b2c3d4e5f6',
        name: 'jupyter',
        image: 'jupyter/base-notebook',
        state: 'running',
        created: '2025-11-05 08:00:00 +0000 UTC',
        ports: '0.0.0.0:8888->8888/tcp',
        cpu_pct: 0.5,
        mem_mb: 512,
      },
      {
        id: 'f6e5d4c3b2a1',
        name: 'old-job',
        image: 'ubuntu:22.04',
        state: 'exited',
        created: '2025-10-01 10:00:00 +0000 UTC',
        ports: '',
        cpu_pct: 0,
        mem_mb: 0,
      },
    ],
    timestamp: '2025-11-06T14:30:00Z',
    machine_type: 'host',
    group: 'lab',
    os: 'Ubuntu 22.04.3 LTS',
    labels: ['gpu', 'nvidia'],
  };
}
