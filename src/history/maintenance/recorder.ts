/**
 * The ingest side of history: one raw row per report, written inside the
 * backend's ingest transaction. A report into a span already compacted
 * reopens that span first; a report older than what the first rollup tier
 * has built marks its bucket dirty, so maintenance rebuilds it (and the
 * coarser buckets above it).
 */
import type { NormalizedReport } from '../../contract/index.js';
import type { HistoryPort } from '../history-port.js';
import { sampleReport, type ReportSample } from '../series.js';
import { bucketStart, chunkSpan, type Tier } from '../tiers.js';
import { isBuilt } from './watermarks.js';

export class HistoryRecorder {
  /** Each host's last sample: most reports have the series of the one before, whose keys array is then reused. */
  private readonly last = new Map<number, ReportSample>();

  constructor(
    private readonly port: HistoryPort,
    private readonly tiers: readonly Tier[],
  ) {}

  /**
   * Records a report at `timeMs` (its clamped agent time). A report older
   * than the raw tier keeps is skipped (its rollups may be final): false.
   * `newHost` makes the host id be read again.
   */
  record(report: NormalizedReport, timeMs: number, receivedAt: number, newHost: boolean): boolean {
    const t = Math.floor(timeMs / 1000);
    const raw = this.tiers[0]!;
    if (t < Math.floor(receivedAt / 1000) - raw.retention) return false;
    const hostId = this.port.hostId(report.server_alias, newHost);
    const sample = sampleReport(report, this.last.get(hostId));
    this.last.set(hostId, sample);
    const first = this.tiers[1];
    // Read in every ingest transaction: maintenance moves it from another connection between them.
    const mark = first ? this.port.watermark(first) : undefined;
    // Raw spans are compacted only once the first rollup tier has passed their end (see Compactor), so a
    // current report needs no look-up of a compacted span.
    const spanEnd = bucketStart(t, chunkSpan(raw)) + chunkSpan(raw);
    if (!first || (mark && spanEnd <= mark.doneUntil)) this.port.explodeSpan(hostId, raw, t);
    this.port.appendRaw(hostId, t, sample);
    if (first) {
      const start = bucketStart(t, first.width);
      if (isBuilt(mark, start, hostId)) this.port.markDirty(hostId, first, start);
    }
    return true;
  }

  /** Forgets every host's last sample (a rolled-back transaction may have stored what it derived from them). */
  forget(): void {
    this.last.clear();
  }

  /** Forgets one host (deleted). */
  forgetHost(hostId: number): void {
    this.last.delete(hostId);
  }
}
