/** Number, size and time formatting shared by the views and the charts. */

export function pct(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${value.toFixed(value >= 10 ? 0 : 1)}%`;
}

const SIZE_UNITS = ['MB', 'GB', 'TB', 'PB'] as const;
/** A unit of data size, in steps of 1024 (as agents report them: MiB and GiB, written MB and GB). */
export type SizeUnit = (typeof SIZE_UNITS)[number];

/** The digits a size is shown with: whole megabytes, else one decimal below 100, none from 100 up. */
function sizeDigits(value: number, unit: SizeUnit): string {
  if (unit === 'MB') return String(Math.round(value));
  const tenths = value.toFixed(1);
  return Number(tenths) < 100 ? tenths : String(Math.round(value));
}

/**
 * The unit to show `value` (given in `unit`) in: the largest whose number
 * still shows as 1 or more, so no size reads 19000 GB or 75000 MB. `divisor`
 * turns a value in `unit` into the chosen one.
 */
export function sizeUnit(value: number, unit: SizeUnit): { unit: SizeUnit; divisor: number } {
  let i = SIZE_UNITS.indexOf(unit);
  let divisor = 1;
  while (i < SIZE_UNITS.length - 1 && Math.round(Math.abs(value) / divisor) >= 1024) {
    divisor *= 1024;
    i++;
  }
  return { unit: SIZE_UNITS[i]!, divisor };
}

/** A data size given in `unit`, in the unit that reads best: "750 MB", "29.3 GB", "18.6 TB". */
export function size(value: number | null | undefined, unit: SizeUnit): string {
  if (value === null || value === undefined) return '–';
  const shown = sizeUnit(value, unit);
  return `${sizeDigits(value / shown.divisor, shown.unit)} ${shown.unit}`;
}

/** A size agents report in gigabytes (memory, disks). */
export function gb(value: number): string {
  return size(value, 'GB');
}

/** A size agents report in megabytes (GPU memory, containers, processes). */
export function mb(value: number | null | undefined): string {
  return size(value, 'MB');
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

/** A moment with its date, in the browser's locale and time zone: "6 Nov 2025, 14:30:05". */
export function dateTime(ms: number, locale?: string, timeZone?: string): string {
  return new Date(ms).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone });
}

/** A chart's time at the cursor (unix seconds), short but complete: "06/11/2025, 14:30:05". */
export function chartTime(seconds: number, locale?: string, timeZone?: string): string {
  return new Date(seconds * 1000).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'medium', timeZone });
}

/**
 * Labels for time-axis ticks (unix seconds) `increment` seconds apart, in the
 * browser's locale: times of day under a day apart (with the date under the
 * first tick of each day), days under a month apart, else months.
 */
export function timeTicks(ticks: number[], increment: number, locale?: string, timeZone?: string): string[] {
  const fmt = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...o, timeZone });
  const time = fmt(increment < 60 ? { timeStyle: 'medium' } : { timeStyle: 'short' });
  const day = fmt({ month: 'short', day: 'numeric' });
  const month = fmt({ month: 'short', year: 'numeric' });
  if (increment >= 28 * 86_400) return ticks.map((t) => month.format(t * 1000));
  if (increment >= 86_400) return ticks.map((t) => day.format(t * 1000));
  let previousDay = '';
  return ticks.map((t) => {
    const date = day.format(t * 1000);
    const label = date === previousDay ? time.format(t * 1000) : `${time.format(t * 1000)}\n${date}`;
    previousDay = date;
    return label;
  });
}

/** The browser's time zone, named and with its offset now: "Europe/Berlin (GMT+1)". */
export function timeZoneLabel(locale?: string, timeZone?: string, at = Date.now()): string {
  const format = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'shortOffset' });
  const offset = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  const name = format.resolvedOptions().timeZone;
  return offset && offset !== name ? `${name} (${offset})` : name;
}
