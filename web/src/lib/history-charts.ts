/** Which charts the host page draws, from the series keys of GET /api/history (docs/api-plan.md). */
import type { HistoryResponse } from './api.js';
import { sizeUnit } from './format.js';

/** Data and labels of one chart. */
export interface ChartSpec {
  id: string;
  title: string;
  /** Appended to every value: "%", " GB", " °C", or "". */
  unit: string;
  /** A share of 100: the axis runs from 0 to 100 (or higher, for a container using several cores). */
  percent: boolean;
  /** Decimals of a value in the legend. */
  decimals: number;
  /** The range asked for (unix seconds): the time axis spans it even where data is missing. */
  from: number;
  to: number;
  timestamps: number[];
  series: { label: string; values: (number | null)[] }[];
}

/** Every selector the host page asks for; bare prefixes expand to every instance. */
export const HOST_METRICS = [
  'cpu',
  'load1',
  'load5',
  'load15',
  'mem',
  'disk.pct',
  'gpu.util',
  'gpu.mem',
  'gpu.temp',
  'gpu.power',
  'container.cpu',
  'container.mem',
].join(',');

/** How a chart's values read: shares of 100, sizes reported in MB (shown in the unit that fits), or plain numbers. */
type Kind = { kind: 'percent' } | { kind: 'size' } | { kind: 'plain'; unit: string };

const CHARTS: ({ id: string; title: string; match: (key: string) => string | null } & Kind)[] = [
  { id: 'cpu', title: 'CPU', kind: 'percent', match: (k) => (k === 'cpu' ? 'CPU' : null) },
  {
    id: 'load',
    title: 'Load average',
    kind: 'plain',
    unit: '',
    match: (k) => ({ load1: '1 min', load5: '5 min', load15: '15 min' })[k] ?? null,
  },
  { id: 'mem', title: 'Memory', kind: 'percent', match: (k) => (k === 'mem' ? 'Memory' : null) },
  { id: 'disk', title: 'Disk usage', kind: 'percent', match: instance('disk.pct') },
  { id: 'gpu-util', title: 'GPU utilization', kind: 'percent', match: instance('gpu.util', 'GPU ') },
  { id: 'gpu-mem', title: 'GPU memory', kind: 'size', match: instance('gpu.mem', 'GPU ') },
  { id: 'gpu-temp', title: 'GPU temperature', kind: 'plain', unit: '°C', match: instance('gpu.temp', 'GPU ') },
  { id: 'gpu-power', title: 'GPU power', kind: 'plain', unit: 'W', match: instance('gpu.power', 'GPU ') },
  { id: 'container-cpu', title: 'Container CPU', kind: 'percent', match: instance('container.cpu') },
  { id: 'container-mem', title: 'Container memory', kind: 'size', match: instance('container.mem') },
];

function instance(prefix: string, labelPrefix = ''): (key: string) => string | null {
  return (k) => (k.startsWith(`${prefix}:`) ? labelPrefix + k.slice(prefix.length + 1) : null);
}

/** The largest value of any series (0 when there is none). */
function largest(series: ChartSpec['series']): number {
  let max = 0;
  for (const s of series) for (const v of s.values) if (v !== null && v > max) max = v;
  return max;
}

/** Sizes in the unit their largest value reads best in: a GPU's 75000 MB is drawn as 73 GB. */
function scaled(series: ChartSpec['series']): { series: ChartSpec['series']; unit: string } {
  const { unit, divisor } = sizeUnit(largest(series), 'MB');
  if (divisor === 1) return { series, unit };
  return {
    series: series.map((s) => ({ ...s, values: s.values.map((v) => (v === null ? null : v / divisor)) })),
    unit,
  };
}

/**
 * Charts that have at least one series, in a fixed order; series sorted by
 * label. Each spans the range that was asked for, whatever the data covers.
 */
export function chartsFrom(history: HistoryResponse): ChartSpec[] {
  const specs: ChartSpec[] = [];
  for (const c of CHARTS) {
    let series: ChartSpec['series'] = [];
    for (const [key, values] of Object.entries(history.series)) {
      const label = c.match(key);
      if (label !== null) series.push({ label, values });
    }
    if (series.length === 0) continue;
    series.sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
    let unit = c.kind === 'percent' ? '%' : c.kind === 'plain' ? c.unit : 'MB';
    if (c.kind === 'size') ({ series, unit } = scaled(series));
    specs.push({
      id: c.id,
      title: c.kind === 'percent' || unit === '' ? c.title : `${c.title} (${unit})`,
      unit: c.kind === 'percent' || unit === '' ? unit : ` ${unit}`,
      percent: c.kind === 'percent',
      decimals: c.kind === 'size' && unit !== 'MB' ? 1 : 2,
      from: history.from,
      to: history.to,
      timestamps: history.timestamps,
      series,
    });
  }
  return specs;
}

/** How many values a chart has to draw. */
export function pointCount(spec: ChartSpec): number {
  return spec.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
}
