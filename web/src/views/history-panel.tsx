/** The host page's history charts: range presets, drag-to-zoom, refetched as reports arrive. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Chart } from '../components/chart.js';
import { api, type HistoryResponse } from '../lib/api.js';
import { timeZoneLabel } from '../lib/format.js';
import { chartsFrom, HOST_METRICS, pointCount } from '../lib/history-charts.js';

const PRESETS = ['1h', '6h', '24h', '7d', '30d', '1y'] as const;
/** Relative refetches on live reports happen at most this often. */
const REFRESH_MS = 10_000;

type Range = { preset: (typeof PRESETS)[number] } | { from: number; to: number };

function params(range: Range): Record<string, string> {
  if ('preset' in range)
    return { metrics: HOST_METRICS, from: `-${range.preset === '24h' ? '1d' : range.preset}`, to: 'now' };
  return { metrics: HOST_METRICS, from: String(range.from), to: String(range.to) };
}

export function HistoryPanel(props: { alias: string; receivedAt: string | undefined }) {
  const [range, setRange] = useState<Range>({ preset: '1h' });
  const [history, setHistory] = useState<HistoryResponse | null>(null);
  const [loadedRange, setLoadedRange] = useState<Range | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const lastFetch = useRef(0);

  // A new report refreshes a relative range, throttled.
  useEffect(() => {
    if (!('preset' in range) || Date.now() - lastFetch.current < REFRESH_MS) return;
    setTick((t) => t + 1);
  }, [props.receivedAt]);

  useEffect(() => {
    const abort = new AbortController();
    lastFetch.current = Date.now();
    api.history(props.alias, params(range), abort.signal).then(
      (h) => {
        setHistory(h);
        setLoadedRange(range);
        setError(null);
      },
      (e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      },
    );
    return () => abort.abort();
  }, [props.alias, range, tick]);

  const charts = history ? chartsFrom(history) : [];
  // A range without a single value (a host whose agent stamps old times, say) gets one message, not empty charts.
  const empty = charts.every((c) => pointCount(c) === 0);
  const zoomed = !('preset' in range);
  return (
    <section
      aria-labelledby="history-title"
      class="history"
      data-range={'preset' in range ? range.preset : 'zoomed'}
      data-state={error ? 'error' : history && loadedRange === range ? 'loaded' : 'loading'}
    >
      <div class="history-head">
        <h2 id="history-title">History</h2>
        <div class="presets" role="group" aria-label="Time range">
          {PRESETS.map((p) => (
            <button
              key={p}
              type="button"
              aria-pressed={'preset' in range && range.preset === p}
              onClick={() => setRange({ preset: p })}
            >
              {p}
            </button>
          ))}
          {zoomed && (
            <button type="button" onClick={() => setRange({ preset: '1h' })}>
              reset zoom
            </button>
          )}
        </div>
      </div>
      {history && (
        <p class="sub">
          Drag across a chart to zoom. Resolution: {history.tier === 'raw' ? 'every report' : history.tier}.{' '}
          <span data-testid="time-zone">Times in {timeZoneLabel()}.</span>
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          History is unavailable: {error}
        </p>
      )}
      {!history && !error && (
        <p class="empty" role="status">
          Loading history…
        </p>
      )}
      {history && empty && <p class="empty">No history in this range.</p>}
      {!empty && (
        <div class="charts">
          {charts.map((c) => (
            <Chart key={c.id} spec={c} onZoom={(from, to) => setRange({ from, to })} />
          ))}
        </div>
      )}
    </section>
  );
}
