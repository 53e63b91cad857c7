/** A labelled percentage bar; the number is real text, so screen readers and tests read it. */
import { pct } from '../lib/format.js';

/** Colour band for a percentage: calm, warm, hot. */
export function level(value: number): 'ok' | 'warn' | 'crit' {
  return value >= 90 ? 'crit' : value >= 70 ? 'warn' : 'ok';
}

export function Bar(props: { value: number; label: string; detail?: string; class?: string }) {
  const v = Math.max(0, Math.min(100, props.value));
  return (
    <div
      class={`bar ${props.class ?? ''}`}
      title={`${props.label}: ${pct(props.value)}${props.detail ? ` (${props.detail})` : ''}`}
    >
      <div
        class="bar-track"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(v)}
        aria-label={props.label}
      >
        <div class={`bar-fill ${level(v)}`} style={{ width: `${v}%` }} />
      </div>
      <span class="bar-text">{pct(props.value)}</span>
    </div>
  );
}
