/**
 * The history engine's policy through the port, on the in-memory backend:
 * rollup, late reports, compaction, retention, idle rounds. The SQLite
 * store's own tests (test/store/sqlite/) check the same through its tables.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAINTENANCE_OPTIONS,
  HistoryMaintenance,
  type MaintenanceOptions,
} from '../../src/history/maintenance/history-maintenance.js';
import { HistoryRecorder } from '../../src/history/maintenance/recorder.js';
import { DEFAULT_TIERS_SPEC, parseTiers } from '../../src/history/tiers.js';
import { cpuReport, T0, T0S } from '../store/history-helpers.js';
import { MemoryHistoryPort } from './memory-port.js';

function engine(options: Partial<MaintenanceOptions> = {}) {
  const port = new MemoryHistoryPort();
  const tiers = parseTiers(DEFAULT_TIERS_SPEC);
  const recorder = new HistoryRecorder(port, tiers);
  const maintenance = new HistoryMaintenance(port, tiers, { ...DEFAULT_MAINTENANCE_OPTIONS, ...options });
  const tier = (name: string) => tiers.find((t) => t.name === name)!;
  return {
    port,
    record: (ms: number, cpu: number, receivedAt = ms) =>
      recorder.record(cpuReport('a', ms, cpu), ms, receivedAt, false),
    /** Batches until idle at `ms`; how many ran. */
    maintain: (ms: number) => {
      let batches = 0;
      while (maintenance.step(ms)) if (++batches > 10_000) throw new Error('never settles');
      return batches;
    },
    /** [n, cpu average] of each row of a tier in [from, to]. */
    rows: (name: string, from: number, to: number) =>
      port
        .readRange(port.hostId('a'), tier(name), from, to)
        .map(({ row }) => [row.n, Math.round(Number(row.avg[row.keys.indexOf('cpu')]) * 100) / 100]),
  };
}

describe('history engine (in-memory port)', () => {
  it('folds reports into every tier once their buckets are due', () => {
    const e = engine();
    e.record(T0, 10);
    e.record(T0 + 10_000, 30);
    e.record(T0 + 61_000, 50);
    e.maintain(T0 + 20_000); // the first minute is not over yet
    expect(e.rows('1m', T0S, T0S + 3600)).toEqual([]);
    e.maintain(T0 + 2 * 3_600_000);
    expect(e.rows('1m', T0S, T0S + 3600)).toEqual([
      [2, 20],
      [1, 50],
    ]);
    expect(e.rows('15m', T0S, T0S)).toEqual([[3, 30]]);
    expect(e.rows('1h', T0S, T0S)).toEqual([[3, 30]]);
  });

  it('rebuilds every tier above a late report, and counts a resent report once', () => {
    const e = engine();
    e.record(T0, 10);
    e.maintain(T0 + 2 * 3_600_000);
    e.record(T0 + 30_000, 40, T0 + 2 * 3_600_000); // spooled, arrives two hours late
    e.record(T0 + 30_000, 40, T0 + 2 * 3_600_000); // and sent twice
    e.maintain(T0 + 2 * 3_600_000 + 1000);
    for (const tier of ['1m', '15m', '1h']) expect(e.rows(tier, T0S, T0S)).toEqual([[2, 25]]);
  });

  it('compacts a raw hour once the minutes above it are built, and reopens it for a late report', () => {
    const e = engine();
    e.record(T0, 10);
    e.record(T0 + 10_000, 30);
    e.maintain(T0 + 2 * 3_600_000);
    expect([...e.port.chunks.keys()]).toEqual([`1/0/${T0S}`]);
    expect(e.rows('raw', T0S, T0S + 3600)).toEqual([
      [1, 10],
      [1, 30],
    ]);
    e.record(T0 + 20_000, 50, T0 + 2 * 3_600_000);
    expect([...e.port.chunks.keys()]).toEqual([]);
    expect(e.rows('raw', T0S, T0S + 3600)).toEqual([
      [1, 10],
      [1, 30],
      [1, 50],
    ]);
    e.maintain(T0 + 2 * 3_600_000 + 1000);
    expect([...e.port.chunks.keys()]).toEqual([`1/0/${T0S}`]);
    expect(e.rows('1m', T0S, T0S)).toEqual([[3, 30]]);
  });

  it('after three days of downtime folds the raw rows into every tier before dropping them', () => {
    const e = engine();
    e.record(T0, 10);
    e.record(T0 + 10_000, 30);
    e.maintain(T0 + 3 * 86_400_000);
    expect(e.rows('raw', 0, T0S + 4 * 86_400)).toEqual([]);
    expect(e.rows('1m', T0S, T0S)).toEqual([[2, 20]]);
    expect(e.rows('1h', T0S, T0S)).toEqual([[2, 20]]);
  });

  it('drops nothing while the next tier has not folded it, however old', () => {
    // Minute buckets wait 5 days after they end: after 3 days the first minute is not folded, and its raw rows stay.
    const e = engine({ graceSeconds: 5 * 86_400 });
    e.record(T0, 10);
    e.maintain(T0 + 3 * 86_400_000);
    expect(e.rows('1m', T0S, T0S)).toEqual([]);
    expect(e.rows('raw', T0S, T0S)).toEqual([[1, 10]]);
    e.maintain(T0 + 6 * 86_400_000); // folded at last, then dropped
    expect(e.rows('1m', T0S, T0S)).toEqual([[1, 10]]);
    expect(e.rows('raw', T0S, T0S)).toEqual([]);
  });

  it('once caught up, a round finds nothing to do', () => {
    const e = engine();
    e.record(T0, 10);
    expect(e.maintain(T0 + 2 * 3_600_000)).toBeGreaterThan(0);
    expect(e.maintain(T0 + 2 * 3_600_000)).toBe(0);
  });
});
