/**
 * The history port in memory: a second backend of a hundred lines, so that
 * the engine's policy is tested without SQL (and shown to need nothing
 * SQLite-shaped). Not for production: no durability, one process.
 */
import type { DirtyBucket, HistoryPort, RowWithProcesses, TierWatermark } from '../../src/history/history-port.js';
import type { ReportSample } from '../../src/history/series.js';
import { bucketStart, chunkSpan, type Tier } from '../../src/history/tiers.js';
import type { Bucket, ProcessAggregate } from '../../src/history/types.js';

type Rows = Map<number, RowWithProcesses>;

export class MemoryHistoryPort implements HistoryPort {
  readonly hosts = new Map<string, number>();
  /** Uncompacted rows by `${hostId}/${width}`, then time. */
  readonly head = new Map<string, Rows>();
  /** Compacted spans by `${hostId}/${width}/${start}`. */
  readonly chunks = new Map<string, RowWithProcesses[]>();
  private readonly marks = new Map<number, TierWatermark>();
  private readonly dirty = new Map<string, DirtyBucket>();
  private readonly kept = new Map<number, number>();

  writeBatch<R>(work: () => R): R {
    return work();
  }

  hostId(alias: string): number {
    let id = this.hosts.get(alias);
    if (id === undefined) this.hosts.set(alias, (id = this.hosts.size + 1));
    return id;
  }

  appendRaw(hostId: number, t: number, sample: ReportSample): void {
    const processes: ProcessAggregate[] = sample.processes.map((p) => ({
      gpu: p.gpu,
      user: p.user,
      cmd: p.cmd,
      samples: 1,
      memSamples: Number.isNaN(p.memMb) ? 0 : 1,
      avgMem: p.memMb,
      maxMem: p.memMb,
    }));
    this.rows(hostId, 0).set(t, {
      row: { t, keys: sample.keys, n: 1, avg: sample.values, max: sample.values, cnt: null },
      processes,
    });
  }

  readRange(hostId: number, tier: Tier, from: number, to: number): RowWithProcesses[] {
    from = Math.max(from, this.kept.get(tier.width) ?? -Infinity);
    return this.all(hostId, tier).filter((r) => r.row.t >= from && r.row.t <= to);
  }

  firstTime(tier: Tier, from: number): number | undefined {
    const times = [...this.hosts.values()]
      .flatMap((id) => this.all(id, tier).map((r) => r.row.t))
      .filter((t) => t >= from);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  hostsAfter(cursor: number, limit: number): number[] {
    return [...this.hosts.values()]
      .filter((id) => id > cursor)
      .sort((a, b) => a - b)
      .slice(0, limit);
  }

  writeBucket(hostId: number, tier: Tier, start: number, bucket: Bucket, processes: readonly ProcessAggregate[]): void {
    this.rows(hostId, tier.width).set(start, { row: { t: start, ...bucket }, processes: [...processes] });
  }

  removeBucket(hostId: number, tier: Tier, start: number): void {
    this.rows(hostId, tier.width).delete(start);
  }

  watermark(tier: Tier): TierWatermark | undefined {
    return this.marks.get(tier.width);
  }

  setWatermark(tier: Tier, mark: TierWatermark): void {
    this.marks.set(tier.width, { ...mark });
  }

  markDirty(hostId: number, tier: Tier, start: number): void {
    this.dirty.set(`${hostId}/${tier.width}/${start}`, { hostId, tierWidth: tier.width, start });
  }

  takeDirty(limit: number): DirtyBucket[] {
    return [...this.dirty.values()].sort((a, b) => a.tierWidth - b.tierWidth || a.start - b.start).slice(0, limit);
  }

  clearDirty(bucket: DirtyBucket): void {
    this.dirty.delete(`${bucket.hostId}/${bucket.tierWidth}/${bucket.start}`);
  }

  setKeptFrom(tier: Tier, t: number): void {
    this.kept.set(tier.width, t);
  }

  expireRows(hostId: number, tier: Tier, before: number): void {
    for (const t of this.rows(hostId, tier.width).keys()) if (t < before) this.rows(hostId, tier.width).delete(t);
  }

  expireChunks(hostId: number, tier: Tier, before: number): void {
    for (const key of this.chunks.keys()) {
      const [id, width, start] = key.split('/').map(Number);
      if (id === hostId && width === tier.width && start! + chunkSpan(tier) <= before) this.chunks.delete(key);
    }
  }

  dropOtherTiers(hostId: number, widths: ReadonlySet<number>): void {
    for (const map of [this.head, this.chunks] as Map<string, unknown>[]) {
      for (const key of map.keys()) {
        const [id, width] = key.split('/').map(Number);
        if (id === hostId && !widths.has(width!)) map.delete(key);
      }
    }
  }

  firstHead(hostId: number, tier: Tier): number | undefined {
    const times = [...this.rows(hostId, tier.width).keys()];
    return times.length === 0 ? undefined : Math.min(...times);
  }

  compactSpan(hostId: number, tier: Tier, start: number): void {
    this.explodeSpan(hostId, tier, start);
    const rows = this.rows(hostId, tier.width);
    const span = [...rows.values()].filter((r) => bucketStart(r.row.t, chunkSpan(tier)) === start);
    for (const r of span) rows.delete(r.row.t);
    if (span.length > 0) this.chunks.set(`${hostId}/${tier.width}/${start}`, span);
  }

  explodeSpan(hostId: number, tier: Tier, t: number): boolean {
    const key = `${hostId}/${tier.width}/${bucketStart(t, chunkSpan(tier))}`;
    const span = this.chunks.get(key);
    if (!span) return false;
    for (const r of span) this.rows(hostId, tier.width).set(r.row.t, r);
    this.chunks.delete(key);
    return true;
  }

  private rows(hostId: number, width: number): Rows {
    const key = `${hostId}/${width}`;
    let rows = this.head.get(key);
    if (!rows) this.head.set(key, (rows = new Map()));
    return rows;
  }

  /** Head rows and compacted rows of a tier, oldest first. */
  private all(hostId: number, tier: Tier): RowWithProcesses[] {
    const compacted = [...this.chunks]
      .filter(([key]) => key.startsWith(`${hostId}/${tier.width}/`))
      .flatMap(([, rows]) => rows);
    return [...this.rows(hostId, tier.width).values(), ...compacted].sort((a, b) => a.row.t - b.row.t);
  }
}
