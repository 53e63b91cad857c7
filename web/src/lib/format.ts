/** Number and time formatting shared by the views. */

export function pct(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${value.toFixed(value >= 10 ? 0 : 1)}%`;
}

/** Gigabytes with a sensible number of digits. */
export function gb(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} GB` : `${value.toFixed(1)} GB`;
}

/** Megabytes as MB or GB. */
export function mb(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value >= 1024 ? `${(value / 1024).toFixed(1)} GB` : `${Math.round(value)} MB`;
}

/** A duration like "3d 4h", "5h 12m", "42s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
