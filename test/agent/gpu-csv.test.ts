import { describe, it, expect } from 'vitest';
import { parseQueryGpu, parseComputeApps, attachByUuid, parseNvidiaCsv } from '../../src/agent/collectors/gpu-csv.js';
import { numberOf } from '../../src/agent/collectors/gpu-values.js';
import { fixture, captureSections } from './helpers/fixtures.js';

const capture = captureSections(fixture('nvidia-smi/h100-80gb-hbm3_mig_driver-590.48.01_capture.txt'));

describe('nvidia-smi CSV parsers over real outputs', () => {
  it('query-gpu with nounits (P100): units only in headers, [N/A] fan is null, total from used+free+reserved', () => {
    const [g] = parseQueryGpu(fixture('nvidia-smi/tesla-p100-pcie-16gb_driver-510.47.03_query-gpu.csv'));
    expect(g).toEqual({
      index: 0,
      name: 'Tesla P100-PCIE-16GB',
      uuid: 'GPU-ef1b2c9b-38d8-2090-2bd1-f567a3eb42a6',
      utilization_pct: 0,
      memory_used_mb: 0,
      memory_total_mb: 103 + 0 + 16280,
      temperature_celsius: 37,
      fan_speed_pct: null,
      power_draw_watts: 28.16,
      power_limit_watts: null,
      processes: [],
    });
  });

  it('query-gpu with units, ~250 columns (H100 MIG capture, idle and load)', () => {
    const idle = parseQueryGpu(capture.get('idle :: query-gpu (csv, what the exporter parses)')!);
    const load = parseQueryGpu(capture.get('load :: query-gpu (csv, what the exporter parses)')!);
    expect(idle).toHaveLength(1);
    expect(idle[0]).toMatchObject({
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      utilization_pct: 0,
      memory_used_mb: 59,
      memory_total_mb: 81559,
      temperature_celsius: 42,
      fan_speed_pct: null,
      power_draw_watts: 71.15,
      power_limit_watts: 700,
    });
    expect(load[0]).toMatchObject({ memory_used_mb: 11125, temperature_celsius: 53, power_draw_watts: 433.78 });
  });

  it('query-compute-apps on MIG: processes match the parent GPU through its uuid', () => {
    const apps = parseComputeApps(
      fixture('nvidia-smi/h100-80gb-hbm3_mig_driver-590.48.01_query-compute-apps_load.csv'),
    );
    expect(apps.map((a) => [a.pid, a.name, a.used_memory_mb])).toEqual([
      [21180, '/root/tools/memhog', 2296],
      [21181, '/root/tools/memhog', 1272],
      [21198, './gpu_burn', 7484],
    ]);
    const gpus = parseQueryGpu(capture.get('load :: query-gpu (csv, what the exporter parses)')!);
    const other = { ...gpus[0]!, index: 1, uuid: 'GPU-ffffffff-0000-0000-0000-000000000000' };
    const [h100, second] = attachByUuid([gpus[0]!, other], apps);
    expect(h100!.processes.map((p) => p.pid)).toEqual([21180, 21181, 21198]);
    expect(second!.processes).toEqual([]);
    // The capture's own load-state section holds the same rows as the extracted file.
    expect(parseComputeApps(capture.get('load :: query-compute-apps (per-process)')!)).toEqual(apps);
    expect(parseComputeApps(capture.get('idle :: query-compute-apps (per-process)')!)).toEqual([]);
  });

  it('query-compute-apps on Windows: [N/A] memory is null, paths with spaces stay whole', () => {
    const apps = parseComputeApps(
      fixture('nvidia-smi/rtx-2080-super_windows_driver-591.86_query-compute-apps_load.csv'),
    );
    expect(apps).toHaveLength(12);
    expect(apps.every((a) => a.used_memory_mb === null)).toBe(true);
    expect(apps.map((a) => a.name)).toContain('C:\\Windows\\explorer.exe');
    expect(apps.some((a) => a.name.includes(' '))).toBe(true);
  });

  it('a process name holding ", " is kept whole when it is the last column', () => {
    const rows = parseNvidiaCsv(
      'gpu_uuid, pid, used_gpu_memory [MiB], process_name\nGPU-1, 7, 10, python train.py --tags a, b\n',
    );
    expect(rows[0]).toEqual({
      gpu_uuid: 'GPU-1',
      pid: '7',
      used_gpu_memory: '10',
      process_name: 'python train.py --tags a, b',
    });
  });

  it('every N/A spelling becomes null', () => {
    for (const v of [
      'N/A',
      '[N/A]',
      '[Not Supported]',
      'Not Supported',
      '[Requested functionality has been deprecated]',
      '',
    ]) {
      expect(numberOf(v)).toBeNull();
    }
    expect(numberOf('433.78 W')).toBe(433.78);
  });
});
