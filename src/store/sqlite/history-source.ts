/**
 * Reads one tier's rows of one host, for queries and for rollups alike:
 * compacted chunks and head rows merged by time, cut at the tier's
 * retention cut-off (chunks are dropped whole, so a chunk may still hold
 * rows that have aged out).
 */
import type { ChunkRow } from '../../history/chunk-codec.js';
import type { RowWithProcesses } from '../../history/history-port.js';
import type { Tier } from '../../history/tiers.js';
import type { HistoryRow } from '../../history/types.js';
import type { HistoryChunks } from './history-chunks.js';
import type { HistoryDict } from './history-dict.js';
import { rawProcesses, rawToRow, rollupProcesses, rollupToRow } from './history-rows.js';
import type { HistoryStatements } from './history-statements.js';

export class HistorySource {
  constructor(
    private readonly stmt: HistoryStatements,
    private readonly dict: HistoryDict,
    private readonly chunks: HistoryChunks,
  ) {}

  /** Value rows with from <= t <= to, oldest first; compacted rows carry only the `wanted` series when given. */
  rows(hostId: number, tier: Tier, from: number, to: number, wanted?: (key: string) => boolean): HistoryRow[] {
    from = this.clamp(tier, from);
    const head =
      tier.width === 0
        ? this.stmt.rawValues.all(hostId, from, to).map((r) => rawToRow(this.dict, r))
        : this.stmt.rollupValues.all(hostId, tier.width, from, to).map((r) => rollupToRow(this.dict, r));
    return merge(this.chunks.read(hostId, tier, from, to, false, wanted), head);
  }

  /** Value rows and their GPU processes, oldest first. */
  rowsWithProcesses(hostId: number, tier: Tier, from: number, to: number): RowWithProcesses[] {
    from = this.clamp(tier, from);
    const toProcesses = tier.width === 0 ? rawProcesses : rollupProcesses;
    const compacted = this.chunks
      .read(hostId, tier, from, to, true)
      .map((row: ChunkRow) => ({ row: row as HistoryRow, processes: toProcesses(this.dict, row.procs) }));
    const head =
      tier.width === 0
        ? this.stmt.raw
            .all(hostId, from, to)
            .map((r) => ({ row: rawToRow(this.dict, r), processes: rawProcesses(this.dict, r.procs) }))
        : this.stmt.rollup
            .all(hostId, tier.width, from, to)
            .map((r) => ({ row: rollupToRow(this.dict, r), processes: rollupProcesses(this.dict, r.procs) }));
    return merge(compacted, head, (x) => x.row.t);
  }

  /** The earliest row time >= from of any host with history, or undefined when there is none. */
  firstTime(tier: Tier, from: number): number | undefined {
    let first: number | undefined;
    for (const id of this.dict.allHostIds()) {
      for (const t of [this.firstHead(id, tier, from), this.chunks.firstTime(id, tier, from)]) {
        if (t !== undefined && (first === undefined || t < first)) first = t;
      }
    }
    return first;
  }

  /** The earliest head (uncompacted) row time >= from of a host in a tier. */
  firstHead(hostId: number, tier: Tier, from = Number.MIN_SAFE_INTEGER): number | undefined {
    const t =
      tier.width === 0
        ? this.stmt.firstRaw.get(hostId, from)?.t
        : this.stmt.firstRollup.get(hostId, tier.width, from)?.t;
    return t ?? undefined;
  }

  private clamp(tier: Tier, from: number): number {
    const kept = this.stmt.keptFrom.get(tier.width);
    return kept === undefined ? from : Math.max(from, kept);
  }
}

/** Two time-ordered lists as one (a span is either compacted or not, so they rarely interleave). */
function merge<T>(a: T[], b: T[], time: (x: T) => number = (x) => (x as { t: number }).t): T[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = a.concat(b);
  if (time(a[a.length - 1]!) >= time(b[0]!)) out.sort((x, y) => time(x) - time(y));
  return out;
}
