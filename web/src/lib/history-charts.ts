/** Which charts the host page draws, from the series keys of GET /api/history (docs/api-plan.md). */
import type { HistoryResponse } from './api.js';
import type { ChartSpec } from '../components/chart.js';

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

const CHARTS: { id: string; title: string; unit: string; match: (key: string) => string | null }[] = [
  { id: 'cpu', title: 'CPU', unit: '%', match: (k) => (k === 'cpu' ? 'CPU' : null) },
  {
    id: 'load',
    title: 'Load average',
    unit: '',
    match: (k) => ({ load1: '1 min', load5: '5 min', load15: '15 min' })[k] ?? null,
  },
  { id: 'mem', title: 'Memory', unit: '%', match: (k) => (k === 'mem' ? 'Memory' : null) },
  { id: 'disk', title: 'Disk usage', unit: '%', match: instance('disk.pct') },
  { id: 'gpu-util', title: 'GPU utilization', unit: '%', match: instance('gpu.util', 'GPU ') },
  { id: 'gpu-mem', title: 'GPU memory', unit: ' MB', match: instance('gpu.mem', 'GPU ') },
  { id: 'gpu-temp', title: 'GPU temperature', unit: ' °C', match: instance('gpu.temp', 'GPU ') },
  { id: 'gpu-power', title: 'GPU power', unit: ' W', match: instance('gpu.power', 'GPU ') },
  { id: 'container-cpu', title: 'Container CPU', unit: '%', match: instance('container.cpu') },
  { id: 'container-mem', title: 'Container memory', unit: ' MB', match: instance('container.mem') },
];

function instance(prefix: string, labelPrefix = ''): (key: string) => string | null {
  return (k) => (k.startsWith(`${prefix}:`) ? labelPrefix + k.slice(prefix.length + 1) : null);
}

/** Charts that have at least one series, in a fixed order; series sorted by label. */
export function chartsFrom(history: HistoryResponse): ChartSpec[] {
  const specs: ChartSpec[] = [];
  for (const c of CHARTS) {
    const series: ChartSpec['series'] = [];
    for (const [key, values] of Object.entries(history.series)) {
      const label = c.match(key);
      if (label !== null) series.push({ label, values });
    }
    if (series.length === 0) continue;
    series.sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
    specs.push({ id: c.id, title: c.title, unit: c.unit, timestamps: history.timestamps, series });
  }
  return specs;
}
