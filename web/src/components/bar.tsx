/** A labelled percentage bar; the number is real text, so screen readers and tests read it. */
import { pct } from '../lib/format.js';

/** Colour band for a percentage: calm, warm, hot. */
export function level(value: number): 'ok' | 'warn' | 'crit' {
  return value >= 90 ? 'crit' : value >= 70 ? 'warn' : 'ok';
}

/**
 * How a bar is coloured: `level` warns as it fills (disks, memory: full is
 * trouble); `busy` and `held` stay one colour whatever the value, because a
 * GPU that computes or holds its memory is doing what it is for.
 */
export type BarTone = 'level' | 'busy' | 'held';

export function Bar(props: {
  value: number;
  label: string;
  detail?: string;
  class?: string;
  /** Visible legend text before the bar (the label stays the accessible name). */
  caption?: string;
  tone?: BarTone;
}) {
  const v = Math.max(0, Math.min(100, props.value));
  const tone = props.tone ?? 'level';
  return (
    <div
      class={`bar ${props.class ?? ''}`}
      title={`${props.label}: ${pct(props.value)}${props.detail ? ` (${props.detail})` : ''}`}
    >
      {props.caption && (
        <span class="bar-caption" aria-hidden="true">
          {props.caption}
        </span>
      )}
      <div
        class="bar-track"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(v)}
        aria-label={props.label}
      >
        <div class={`bar-fill ${tone === 'level' ? level(v) : tone}`} style={{ width: `${v}%` }} />
      </div>
      <span class="bar-text">{pct(props.value)}</span>
    </div>
  );
}
