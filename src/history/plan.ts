/**
 * Query planning: which tier answers a range, and how wide the answer's
 * buckets are, so that at most MAX_POINTS points come back.
 */
import { parseDuration, type Tier } from './tiers.js';

/** Most points one answer holds (per series). */
export const MAX_POINTS = 1000;

/** Fleet answers from the raw tier are never finer than this (reports of many hosts need to line up). */
export const FLEET_MIN_BUCKET = 60;

/**
 * The times a query may name, unix seconds: 1970-01-01 to 2100-01-01 (UTC).
 * Far outside them, seconds stop being exact in a double (past 2^53 adding
 * a bucket no longer moves a time), and no history lies there anyway.
 */
export const TIME_LIMITS = { min: 0, max: 4_102_444_800 } as const;

/** The widest step a query may ask for: 10 years, in seconds. */
export const MAX_STEP = 315_360_000;

/** Most values (series × points) one answer may hold unless configured otherwise (HISTORY_MAX_CELLS). */
export const DEFAULT_MAX_CELLS = 250_000;

/** Reads `now`, `-1h`/`-30m`/`-7d`, unix seconds or ISO 8601 into unix seconds; undefined when unreadable. */
export function parseTimeParam(text: string, nowSec: number): number | undefined {
  const value = text.trim();
  if (value === 'now') return nowSec;
  if (value.startsWith('-')) {
    const back = parseDuration(value.slice(1));
    return back === undefined ? undefined : nowSec - back;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return Math.floor(Number(value));
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** What to read and how to shape it. */
export interface QueryPlan {
  tier: Tier;
  /** Bucket width of the answer, seconds. */
  bucket: number;
  /** True when raw rows may be returned as they are (no step asked, few enough rows). */
  rawAllowed: boolean;
}

/**
 * Picks the tier: among tiers that still hold data at `from`, the coarsest
 * whose width is at most `step` (fewest rows that still give the wanted
 * step), or the finest when no step is asked. When even the coarsest tier
 * has aged out at `from`, the coarsest answers what it still holds.
 */
export function planQuery(
  tiers: readonly Tier[],
  range: { from: number; to: number; step?: number; fleet?: boolean },
  nowSec: number,
): QueryPlan {
  const covering = tiers.filter((t) => range.from >= nowSec - t.retention);
  let tier: Tier;
  if (covering.length === 0) tier = tiers[tiers.length - 1]!;
  else if (range.step === undefined) tier = covering[0]!;
  else tier = [...covering].reverse().find((t) => t.width <= range.step!) ?? covering[0]!;
  const span = Math.max(range.to - range.from, 1);
  const wanted = Math.max(range.step ?? 0, Math.ceil(span / (MAX_POINTS - 1)), 1);
  const bucket =
    tier.width > 0 ? Math.ceil(wanted / tier.width) * tier.width : Math.max(wanted, range.fleet ? FLEET_MIN_BUCKET : 1);
  return { tier, bucket, rawAllowed: tier.width === 0 && range.step === undefined && !range.fleet };
}
