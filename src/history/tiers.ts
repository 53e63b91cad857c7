/**
 * History tiers: raw reports first, then rollups whose bucket widths nest
 * (each a multiple of the one before), so every coarser bucket is built from
 * whole buckets of the finer tier.
 */

/** One tier: bucket width (0 for raw) and how long its rows are kept, both in seconds. */
export interface Tier {
  /** Name used by the API: "raw" or the width, like "1m", "15m", "1h". */
  name: string;
  /** Bucket width in seconds; 0 for the raw tier (one row per report). */
  width: number;
  /** Rows older than this many seconds are dropped. */
  retention: number;
}

/** raw 24 h, 1-minute buckets 7 days, 15-minute 90 days, 1-hour 2 years. */
export const DEFAULT_TIERS_SPEC = 'raw:24h,1m:7d,15m:90d,1h:2y';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** Parses "90s", "15m", "24h", "7d", "2w", "2y" into seconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)([smhdwy])$/.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * UNIT_SECONDS[match[2]!]!;
  return value > 0 ? value : undefined;
}

/** The shortest name for a width: 60 → "1m", 900 → "15m", 3600 → "1h", 90 → "90s". */
export function formatDuration(seconds: number): string {
  for (const unit of ['y', 'w', 'd', 'h', 'm'] as const) {
    const size = UNIT_SECONDS[unit]!;
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/**
 * Parses a tier list like "raw:24h,1m:7d,15m:90d,1h:2y". Throws an Error with
 * a readable reason when the list cannot work: raw must come first, widths
 * must grow and nest, and each tier must keep its rows longer than the next
 * tier's bucket so rollups always find their source.
 */
export function parseTiers(spec: string): Tier[] {
  const parts = spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const tiers: Tier[] = parts.map((part, i) => {
    const [widthText, retentionText, extra] = part.split(':');
    if (widthText === undefined || retentionText === undefined || extra !== undefined) {
      throw new Error(`"${part}" is not "<width>:<retention>" like "1m:7d"`);
    }
    const isRaw = widthText.trim() === 'raw';
    if (isRaw !== (i === 0)) throw new Error('the first tier, and only the first, must be "raw"');
    const width = isRaw ? 0 : parseDuration(widthText);
    const retention = parseDuration(retentionText);
    if (width === undefined) throw new Error(`bad bucket width "${widthText}" (use e.g. 1m, 15m, 1h)`);
    if (retention === undefined) throw new Error(`bad retention "${retentionText}" (use e.g. 24h, 7d, 2y)`);
    return { name: isRaw ? 'raw' : formatDuration(width), width, retention };
  });
  if (tiers.length === 0) throw new Error('at least the raw tier is needed');
  for (let i = 1; i < tiers.length; i++) {
    const prev = tiers[i - 1]!;
    const tier = tiers[i]!;
    if (tier.width <= prev.width || (prev.width > 0 && tier.width % prev.width !== 0)) {
      throw new Error(`tier ${tier.name} must be wider than, and a multiple of, ${prev.name}`);
    }
    if (prev.retention < 2 * tier.width) {
      throw new Error(`tier ${prev.name} must be kept at least twice as long as one ${tier.name} bucket`);
    }
    if (tier.width > 86_400 || 86_400 % tier.width !== 0) {
      throw new Error(`tier ${tier.name} must divide a day evenly`);
    }
  }
  return tiers;
}

/** Start of the bucket of `width` seconds holding time `t` (seconds); buckets align to the epoch. */
export function bucketStart(t: number, width: number): number {
  return Math.floor(t / width) * width;
}

/** Longest time one compacted chunk covers, seconds. */
const MAX_CHUNK_SPAN = 7 * 86_400;

/**
 * The time one compacted chunk of a tier covers: an hour of raw reports
 * (360 at a 10 s interval), else 360 buckets but at most a week (1m: 6 h,
 * 15m: 3.75 days, 1h: 7 days). Always a multiple of the bucket width, and
 * chunks align to the epoch like buckets do.
 */
export function chunkSpan(tier: Pick<Tier, 'width'>): number {
  if (tier.width === 0) return 3600;
  return tier.width * Math.max(1, Math.min(360, Math.floor(MAX_CHUNK_SPAN / tier.width)));
}
