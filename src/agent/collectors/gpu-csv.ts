/**
 * Parses nvidia-smi's `--query-gpu` and `--query-compute-apps` CSV, with or
 * without `nounits`: columns are found by header name (units in brackets
 * stripped), so any field list and order works. Processes are attached to
 * their GPU through gpu_uuid; on MIG that is the parent GPU's uuid.
 */
import { numberOf, percentOf, mibOf, type GpuSample, type GpuProcessSample } from './gpu-values.js';

/** The fields the agent asks nvidia-smi for in CSV mode. */
export const QUERY_GPU_FIELDS =
  'index,name,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,fan.speed,power.draw,power.limit';
/** process_name is last because it is the only column that may contain ", ". */
export const QUERY_APPS_FIELDS = 'gpu_uuid,pid,used_gpu_memory,process_name';

/** Rows of nvidia-smi CSV as header → cell; extra cells are joined into the process_name column. */
export function parseNvidiaCsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const headers = lines[0]!.split(',').map((h) => h.trim().replace(/\s*\[.*\]$/, ''));
  const wide = headers.indexOf('process_name');
  return lines.slice(1).map((line) => {
    let cells = line.split(', ');
    if (cells.length > headers.length && wide >= 0) {
      const extra = cells.length - headers.length;
      cells = [
        ...cells.slice(0, wide),
        cells.slice(wide, wide + extra + 1).join(', '),
        ...cells.slice(wide + extra + 1),
      ];
    }
    return Object.fromEntries(headers.map((h, i) => [h, (cells[i] ?? '').trim()]));
  });
}

/** GPUs from `--query-gpu`; memory.total falls back to used + free + reserved. */
export function parseQueryGpu(text: string): GpuSample[] {
  return parseNvidiaCsv(text).map((r, position) => {
    const total =
      numberOf(r['memory.total']) ??
      (numberOf(r['memory.used']) ?? 0) + (numberOf(r['memory.free']) ?? 0) + (numberOf(r['memory.reserved']) ?? 0);
    return {
      index: numberOf(r.index) ?? position,
      name: r.name ?? '',
      uuid: r.uuid || null,
      utilization_pct: percentOf(r['utilization.gpu']),
      memory_used_mb: mibOf(r['memory.used']),
      memory_total_mb: mibOf(total),
      temperature_celsius: numberOf(r['temperature.gpu']),
      fan_speed_pct: numberOf(r['fan.speed']),
      power_draw_watts: numberOf(r['power.draw']),
      power_limit_watts: numberOf(r['power.limit']),
      processes: [],
    };
  });
}

/** A compute process and the uuid of the GPU it runs on. */
export interface ComputeApp extends GpuProcessSample {
  gpu_uuid: string;
}

/** Processes from `--query-compute-apps`. */
export function parseComputeApps(text: string): ComputeApp[] {
  return parseNvidiaCsv(text).flatMap((r) => {
    const pid = numberOf(r.pid);
    if (pid === null) return [];
    const mem = numberOf(r.used_gpu_memory ?? r.used_memory);
    return [
      {
        gpu_uuid: r.gpu_uuid ?? '',
        pid,
        type: 'C',
        name: r.process_name ?? '',
        used_memory_mb: mem === null ? null : Math.round(mem),
      },
    ];
  });
}

/** Gives each GPU the processes whose gpu_uuid is its uuid. */
export function attachByUuid(gpus: GpuSample[], apps: ComputeApp[]): GpuSample[] {
  return gpus.map((g) => ({
    ...g,
    processes: apps.filter((a) => a.gpu_uuid === g.uuid).map(({ gpu_uuid: _u, ...p }) => p),
  }));
}
