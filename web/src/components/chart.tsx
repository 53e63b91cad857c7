/**
 * One uPlot time-series chart. Drag to zoom (the page then refetches the
 * finer range); double-click to go back. Colours follow the page's theme.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { isolate } from '../lib/bidi.js';

const PALETTE = [
  '#3b82f6',
  '#f59e0b',
  '#10b981',
  '#ef4444',
  '#8b5cf6',
  '#06b6d4',
  '#ec4899',
  '#84cc16',
  '#f97316',
  '#64748b',
];

/** Data and labels of one chart. */
export interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  timestamps: number[];
  series: { label: string; values: (number | null)[] }[];
}

/** Axis numbers short enough for the gutter: 40000 → 40k. */
function compact(v: number): string {
  return Math.abs(v) >= 10_000 ? `${+(v / 1000).toFixed(1)}k` : `${+v.toFixed(2)}`;
}

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Writes the drawn scales onto the figure, so tests (and the curious) can read what the canvas shows. */
function recordScales(u: uPlot): void {
  const fig = u.root.closest('figure');
  if (!fig) return;
  for (const [name, scale] of Object.entries(u.scales)) {
    fig.setAttribute(`data-${name}-min`, String(scale.min));
    fig.setAttribute(`data-${name}-max`, String(scale.max));
  }
}

function options(spec: ChartSpec, width: number, onZoom: (from: number, to: number) => void): uPlot.Options {
  const axisColor = themeColor('--muted', '#888');
  const grid = { stroke: themeColor('--grid', 'rgba(128,128,128,0.2)'), width: 1 };
  const axis = { stroke: axisColor, grid, ticks: grid };
  return {
    width,
    height: 180,
    cursor: { sync: { key: 'fleetwatch-host' }, drag: { x: true, y: false } },
    scales: { x: { time: true } },
    legend: { live: true },
    // A wider tick spacing on the time axis keeps uPlot's two-line date labels from overlapping.
    axes: [
      { ...axis, space: 100 },
      { ...axis, size: 76, values: (_u, ticks) => ticks.map((t) => `${compact(t)}${spec.unit}`) },
    ],
    series: [
      {},
      ...spec.series.map((s, i) => ({
        label: isolate(s.label),
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        spanGaps: false,
        value: (_u: uPlot, v: number | null) => (v === null ? '–' : `${+v.toFixed(2)}${spec.unit}`),
      })),
    ],
    hooks: {
      draw: [recordScales],
      setSelect: [
        (u) => {
          if (u.select.width < 4) return;
          const from = u.posToVal(u.select.left, 'x');
          const to = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          onZoom(Math.floor(from), Math.ceil(to));
        },
      ],
    },
  };
}

export function Chart(props: { spec: ChartSpec; onZoom: (from: number, to: number) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(props.onZoom);
  zoom.current = props.onZoom;
  const { spec } = props;
  const shape = spec.series.map((s) => s.label).join('\u0000');
  const data: uPlot.AlignedData = [spec.timestamps, ...spec.series.map((s) => s.values)];

  // Recreate when the set of series changes; otherwise only swap the data.
  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(
      options(spec, el.clientWidth || 600, (f, t) => zoom.current(f, t)),
      data,
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: 180 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape, spec.unit]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [spec.timestamps, spec.series]);

  const points = spec.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
  return (
    <figure class="chart" data-chart={spec.id} data-points={points}>
      <figcaption>{spec.title}</figcaption>
      <div
        ref={box}
        class="chart-box"
        role="img"
        aria-label={`${spec.title}: ${spec.series.map((s) => isolate(s.label)).join(', ')}`}
      />
    </figure>
  );
}
