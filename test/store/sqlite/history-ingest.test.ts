/** History rows written at ingest: series, placement in time, late and duplicate reports, deletion. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpuReport, openTempStore, reportAt, T0, T0S, type StoreDir } from '../history-helpers.js';

let h: StoreDir;
beforeEach(() => {
  h = openTempStore();
});
afterEach(async () => {
  await h.remove();
});

const value = (row: { keys: readonly string[]; avg: ArrayLike<number> }, key: string) => {
  const i = row.keys.indexOf(key);
  return i < 0 ? undefined : row.avg[i];
};

describe('history at ingest', () => {
  it('records host, disk, GPU and container series of a report at its agent time', async () => {
    await h.store.ingest(reportAt('gpu-01', T0 + 5_000), T0 + 6_000);
    const rows = (await h.store.readHistory('gpu-01', 'raw', T0S, T0S + 60))!;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.t).toBe(T0S + 5);
    expect(value(row, 'cpu')).toBeCloseTo(23.4, 4);
    expect(value(row, 'load1')).toBeCloseTo(1.2, 5);
    expect(value(row, 'load15')).toBeCloseTo(0.9, 5);
    expect(value(row, 'mem')).toBeCloseTo(31.2, 4);
    expect(value(row, 'mem_used')).toBe(20);
    expect(value(row, 'users')).toBe(1);
    expect(value(row, 'disk.pct:/')).toBe(50);
    expect(value(row, 'disk.used:/')).toBe(100); // total 200 - free 100: the original agent sends no used_gb
    expect(value(row, 'gpu.util:0')).toBe(72);
    expect(value(row, 'gpu.mem:0')).toBe(9000);
    expect(value(row, 'gpu.temp:0')).toBe(61);
    expect(value(row, 'gpu.power:0')).toBeCloseTo(250.5, 4);
    expect(value(row, 'container.cpu:trainer')).toBeCloseTo(14.2, 4);
    expect(value(row, 'container.mem:trainer')).toBe(2048);
  });

  it('records GPU processes with user, command and memory', async () => {
    await h.store.ingest(reportAt('gpu-01', T0), T0);
    const rows = await h.store.readGpuProcesses('gpu-01', 'raw', T0S, T0S);
    expect(rows).toEqual([
      {
        t: T0S,
        processes: [
          { gpu: 0, user: 'satya', cmd: 'python train.py', samples: 1, memSamples: 1, avgMem: 8900, maxMem: 8900 },
        ],
      },
    ]);
  });

  it('stores a missing GPU temperature as a gap, not zero', async () => {
    const report = reportAt('g', T0);
    report.gpus[0]!.temperature_celsius = null;
    await h.store.ingest(report, T0);
    const row = (await h.store.readHistory('g', 'raw', T0S, T0S))![0]!;
    expect(Number.isNaN(value(row, 'gpu.temp:0'))).toBe(true);
  });

  it('clamps an agent clock running ahead to the allowed skew past the receive time', async () => {
    await h.store.ingest(reportAt('skewed', T0 + 3_600_000), T0);
    const rows = (await h.store.readHistory('skewed', 'raw', T0S - 10, T0S + 7200))!;
    expect(rows.map((r) => r.t)).toEqual([T0S + 60]);
  });

  it('puts a late report into history at its own time without replacing the newer latest state', async () => {
    await h.store.ingest(cpuReport('a', T0 + 60_000, 10), T0 + 60_000);
    const late = await h.store.ingest(cpuReport('a', T0 + 30_000, 90), T0 + 70_000);
    expect(late.latest).toBe(false);
    expect((await h.store.getHost('a'))!.report.cpu.percent).toBe(10);
    const rows = (await h.store.readHistory('a', 'raw', T0S, T0S + 120))!;
    expect(rows.map((r) => [r.t, value(r, 'cpu')])).toEqual([
      [T0S + 30, 90],
      [T0S + 60, 10],
    ]);
  });

  it('keeps one row for a report sent twice (a spool resend)', async () => {
    await h.store.ingest(cpuReport('a', T0, 10), T0);
    await h.store.ingest(cpuReport('a', T0, 10), T0 + 5_000);
    expect(await h.store.readHistory('a', 'raw', T0S - 60, T0S + 60)).toHaveLength(1);
  });

  it('skips history for a report older than the raw tier keeps, but still tracks the host', async () => {
    await h.store.ingest(cpuReport('a', T0 - 25 * 3_600_000, 10), T0);
    expect(await h.store.readHistory('a', 'raw', 0, T0S)).toBeUndefined();
    expect(await h.store.getHost('a')).toBeDefined();
  });

  it('writes nothing when history is disabled', async () => {
    const off = await h.reopen({ history: { enabled: false } });
    await off.ingest(cpuReport('a', T0, 10), T0);
    expect(await off.readHistory('a', 'raw', 0, T0S + 60)).toBeUndefined();
  });

  it("deletes a host's history with the host, and a re-created host starts empty", async () => {
    await h.store.ingest(cpuReport('a', T0, 10), T0);
    await h.store.ingest(cpuReport('b', T0, 20), T0);
    expect(await h.store.deleteHost('a')).toBe(true);
    expect(await h.store.readHistory('a', 'raw', 0, T0S + 60)).toBeUndefined();
    expect(await h.store.readHistory('b', 'raw', 0, T0S + 60)).toHaveLength(1);
    const count = (table: string) =>
      (h.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('history_raw')).toBe(1);
    await h.store.ingest(cpuReport('a', T0 + 10_000, 30), T0 + 10_000);
    expect((await h.store.readHistory('a', 'raw', 0, T0S + 60))!.map((r) => value(r, 'cpu'))).toEqual([30]);
  });
});
