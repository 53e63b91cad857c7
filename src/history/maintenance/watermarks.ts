/** What a tier's watermark says about one bucket. */
import type { TierWatermark } from '../history-port.js';

/** True when the bucket starting at `start` has already been built for this host (so new rows must rebuild it). */
export function isBuilt(mark: TierWatermark | undefined, start: number, hostId: number): boolean {
  if (!mark) return false;
  return start < mark.doneUntil || (start === mark.doneUntil && mark.hostCursor > 0 && hostId <= mark.hostCursor);
}
