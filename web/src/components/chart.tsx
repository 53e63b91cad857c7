/**
 * One uPlot time-series chart. Drag to zoom (the page then refetches the
 * finer range); double-click to go back. Colours follow the page's theme;
 * times follow the browser's locale and time zone.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { isolate } from '../lib/bidi.js';
import { chartTime, timeTicks } from '../lib/format.js';
import { pointCount, type ChartSpec } from '../lib/history-charts.js';

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

/** 0 to 100, or to the next multiple of 50 above a larger value: small changes do not fill the chart. */
function percentRange(_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax {
  return [0, max !== null && max > 100 ? Math.ceil(max / 50) * 50 : 100];
}

function options(
  spec: { current: ChartSpec },
  width: number,
  onZoom: (from: number, to: number) => void,
): uPlot.Options {
  const { unit, decimals, percent, series } = spec.current;
  const axisColor = themeColor('--muted', '#888');
  const grid = { stroke: themeColor('--grid', 'rgba(128,128,128,0.2)'), width: 1 };
  const axis = { stroke: axisColor, grid, ticks: grid };
  return {
    width,
    height: 180,
    cursor: { sync: { key: 'fleetwatch-host' }, drag: { x: true, y: false } },
    scales: {
      // The range asked for, read at every redraw: new data for a new range keeps the same chart.
      x: { time: true, range: () => [spec.current.from, spec.current.to] },
      ...(percent ? { y: { range: percentRange } } : {}),
    },
    legend: { live: true },
    // A wider tick spacing on the time axis keeps two-line date labels from overlapping.
    axes: [
      { ...axis, space: 100, values: (_u, ticks, _i, _space, increment) => timeTicks(ticks, increment) },
      { ...axis, size: 76, values: (_u, ticks) => ticks.map((t) => `${compact(t)}${unit}`) },
    ],
    series: [
      { value: (_u: uPlot, t: number | null) => (t === null ? '–' : chartTime(t)) },
      ...series.map((s, i) => ({
        label: isolate(s.label),
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        // A null is a silence (no report in that bucket): the line breaks there.
        spanGaps: false,
        value: (_u: uPlot, v: number | null) => (v === null ? '–' : `${+v.toFixed(decimals)}${unit}`),
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

function Plot(props: { spec: ChartSpec; onZoom: (from: number, to: number) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(props.onZoom);
  zoom.current = props.onZoom;
  const spec = useRef(props.spec);
  spec.current = props.spec;
  const { series, timestamps, unit, title } = props.spec;
  const shape = series.map((s) => s.label).join('\u0000');
  const data: uPlot.AlignedData = [timestamps, ...series.map((s) => s.values)];

  // Recreate when the set of series or the unit changes; otherwise only swap the data.
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
  }, [shape, unit]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [timestamps, series]);

  return (
    <div
      ref={box}
      class="chart-box"
      role="img"
      aria-label={`${title}: ${series.map((s) => isolate(s.label)).join(', ')}`}
    />
  );
}

export function Chart(props: { spec: ChartSpec; onZoom: (from: number, to: number) => void }) {
  const points = pointCount(props.spec);
  return (
    <figure class="chart" data-chart={props.spec.id} data-points={points}>
      <figcaption>{props.spec.title}</figcaption>
      {points === 0 ? <p class="empty chart-empty">No history in this range.</p> : <Plot {...props} />}
    </figure>
  );
}
