/** What nvidia-smi says about one GPU, before processes are enriched from /proc. */
export interface GpuSample {
  index: number;
  name: string;
  uuid: string | null;
  utilization_pct: number;
  memory_used_mb: number;
  memory_total_mb: number;
  temperature_celsius: number | null;
  fan_speed_pct: number | null;
  power_draw_watts: number | null;
  power_limit_watts: number | null;
  processes: GpuProcessSample[];
}

/** A process as nvidia-smi lists it. */
export interface GpuProcessSample {
  pid: number;
  /** "C", "G" or "C+G"; null where the source does not say (query-compute-apps). */
  type: string | null;
  /** nvidia-smi's process name, the fallback when /proc has no command line. */
  name: string;
  /** Null where the driver cannot tell (Windows WDDM prints N/A). */
  used_memory_mb: number | null;
}

/**
 * A number out of an nvidia-smi value ("26.78 W", "0 %", "1005 MiB", "40 C"),
 * or null for N/A, [N/A], [Not Supported], [Requested functionality has been
 * deprecated], empty and anything else that is not a number.
 */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)(?:\s*[A-Za-z%]+)?\s*$/.exec(value);
  return m ? Number(m[1]) : null;
}

/** Clamps to a percent; nvidia-smi has no N/A-free utilisation on MIG, so null becomes 0. */
export const percentOf = (value: unknown) => Math.min(100, Math.max(0, numberOf(value) ?? 0));

/** Whole MiB, 0 when unknown (the contract requires a number for GPU memory). */
export const mibOf = (value: unknown) => Math.max(0, Math.round(numberOf(value) ?? 0));
