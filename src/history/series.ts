/**
 * Which numbers of a report become history. Host series have plain keys;
 * series of one instance (disk, GPU, container) carry it after a colon, as
 * in docs/api-plan.md. Missing values (a GPU without a temperature sensor)
 * are NaN, stored as such and served as null.
 */
import type { NormalizedReport } from '../contract/index.js';

/** One GPU process seen in one report. */
export interface ProcessSample {
  gpu: number;
  user: string;
  cmd: string;
  /** GPU memory in MB; NaN where the driver cannot tell. */
  memMb: number;
}

/** The history content of one report. */
export interface ReportSample {
  /** Series keys, in the order of `values`. */
  keys: string[];
  values: number[];
  processes: ProcessSample[];
  /** Instance names in report order (mountpoints, GPU indexes, container names); undefined when some were duplicates. */
  shape?: (string | number)[];
}

/** Series that hosts always have, so fleet aggregates can average them. */
export const HOST_SERIES = ['cpu', 'load1', 'load5', 'load15', 'mem', 'mem_used', 'users'] as const;

/** Series whose instances the fleet aggregate averages over (every GPU of every host). */
export const FLEET_INSTANCE_SERIES = ['gpu.util', 'gpu.mem'] as const;

const orNaN = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);

/**
 * Extracts every series value and GPU process from a report. When the
 * report has the instances of `previous` (the host's last sample), in the
 * same order, its keys array is reused: no key strings are built, and the
 * same array lets callers reuse what they derived from it (a layout id).
 */
export function sampleReport(report: NormalizedReport, previous?: ReportSample): ReportSample {
  if (previous?.shape && sameShape(report, previous.shape))
    return { keys: previous.keys, values: valuesOf(report), processes: processesOf(report), shape: previous.shape };
  return sampleFresh(report);
}

function sameShape(report: NormalizedReport, shape: readonly (string | number)[]): boolean {
  if (shape.length !== report.disks.length + report.gpus.length + report.containers.length) return false;
  let i = 0;
  for (const d of report.disks) if (shape[i++] !== d.mountpoint) return false;
  for (const g of report.gpus) if (shape[i++] !== g.index) return false;
  for (const c of report.containers) if (shape[i++] !== c.name) return false;
  return true;
}

/** The values of a report whose instance names are all distinct, in key order. */
function valuesOf(report: NormalizedReport): number[] {
  const { cpu, memory } = report;
  const values: number[] = [
    cpu.percent,
    cpu.loadavg['1m'],
    cpu.loadavg['5m'],
    cpu.loadavg['15m'],
    memory.percent,
    memory.used_gb,
    report.users.length,
  ];
  for (const disk of report.disks) values.push(disk.percent, disk.used_gb ?? Math.max(0, disk.total_gb - disk.free_gb));
  for (const gpu of report.gpus) {
    values.push(gpu.utilization_pct, gpu.memory_used_mb, orNaN(gpu.temperature_celsius), orNaN(gpu.power_draw_watts));
  }
  for (const c of report.containers) values.push(c.cpu_pct ?? 0, c.mem_mb ?? 0);
  return values;
}

function processesOf(report: NormalizedReport): ProcessSample[] {
  const processes: ProcessSample[] = [];
  for (const gpu of report.gpus) {
    for (const p of gpu.processes ?? [])
      processes.push({ gpu: gpu.index, user: p.username, cmd: p.cmd, memMb: orNaN(p.used_memory_mb) });
  }
  return processes;
}

function sampleFresh(report: NormalizedReport): ReportSample {
  const keys: string[] = [...HOST_SERIES];
  const { cpu, memory } = report;
  const values: number[] = [
    cpu.percent,
    cpu.loadavg['1m'],
    cpu.loadavg['5m'],
    cpu.loadavg['15m'],
    memory.percent,
    memory.used_gb,
    report.users.length,
  ];
  const seen = new Set<string>(keys);
  const add = (key: string, value: number) => {
    // A duplicate instance name (two disks reported at one mountpoint) keeps its first value.
    if (seen.has(key)) return;
    seen.add(key);
    keys.push(key);
    values.push(value);
  };
  for (const disk of report.disks) {
    add(`disk.pct:${disk.mountpoint}`, disk.percent);
    add(`disk.used:${disk.mountpoint}`, disk.used_gb ?? Math.max(0, disk.total_gb - disk.free_gb));
  }
  const processes: ProcessSample[] = [];
  for (const gpu of report.gpus) {
    add(`gpu.util:${gpu.index}`, gpu.utilization_pct);
    add(`gpu.mem:${gpu.index}`, gpu.memory_used_mb);
    add(`gpu.temp:${gpu.index}`, orNaN(gpu.temperature_celsius));
    add(`gpu.power:${gpu.index}`, orNaN(gpu.power_draw_watts));
    for (const p of gpu.processes ?? []) {
      processes.push({ gpu: gpu.index, user: p.username, cmd: p.cmd, memMb: orNaN(p.used_memory_mb) });
    }
  }
  for (const c of report.containers) {
    add(`container.cpu:${c.name}`, c.cpu_pct ?? 0);
    add(`container.mem:${c.name}`, c.mem_mb ?? 0);
  }
  const distinct =
    keys.length ===
    HOST_SERIES.length + 2 * report.disks.length + 4 * report.gpus.length + 2 * report.containers.length;
  const shape = distinct
    ? [
        ...report.disks.map((d) => d.mountpoint),
        ...report.gpus.map((g) => g.index),
        ...report.containers.map((c) => c.name),
      ]
    : undefined;
  return { keys, values, processes, ...(shape ? { shape } : {}) };
}

/** The metric part of a key: "gpu.util:0" → "gpu.util", "cpu" → "cpu". */
export function metricOf(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? key : key.slice(0, colon);
}

/**
 * True when `key` is selected by `selector`: an exact key, or a metric
 * without an instance ("gpu.util") selecting every instance of it.
 */
export function selects(selector: string, key: string): boolean {
  if (selector === key) return true;
  return !selector.includes(':') && key.startsWith(`${selector}:`);
}

/** Parses `metrics=cpu,mem,gpu.util:0`; instance names may not contain commas here. */
export function parseSelectors(text: string | undefined): string[] {
  const list = (text ?? 'cpu,mem')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [...new Set(list)];
}

/** Metrics that exist once per instance (mountpoint, GPU index, container name). */
export const INSTANCE_METRICS = [
  'disk.pct',
  'disk.used',
  'gpu.util',
  'gpu.mem',
  'gpu.temp',
  'gpu.power',
  'container.cpu',
  'container.mem',
] as const;

/** Why a selector is not understood, or undefined when it is fine. */
export function selectorProblem(selector: string): string | undefined {
  const metric = metricOf(selector);
  if ((HOST_SERIES as readonly string[]).includes(metric)) {
    return metric === selector ? undefined : `Metric '${metric}' has no instances`;
  }
  if ((INSTANCE_METRICS as readonly string[]).includes(metric)) {
    return selector === `${metric}:` ? `Selector '${selector}' names no instance` : undefined;
  }
  return `Unknown metric '${metric}'; known: ${[...HOST_SERIES, ...INSTANCE_METRICS].join(', ')}`;
}

/** True when the selector names one series exactly (it is answered even with no data). */
export function isExact(selector: string): boolean {
  return selector.includes(':') || (HOST_SERIES as readonly string[]).includes(selector);
}

/** The answer's series keys, in selector order: exact keys always, instance selectors expanded over `available`. */
export function expandSelectors(selectors: readonly string[], available: readonly string[]): string[] {
  const out = new Set<string>();
  for (const selector of selectors) {
    if (isExact(selector)) out.add(selector);
    else for (const key of available) if (selects(selector, key)) out.add(key);
  }
  return [...out];
}
