/**
 * GPU process names are stored as ids into history_procs. Ids are exact at
 * any size (float32 held integers only up to 2^24, and a larger id read back
 * as its neighbour: another process's name), in head rows, buckets and
 * compacted spans; rows written in the float32 format still read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFloats } from '../../../src/history/codec.js';
import { maintainAll, openTempStore, reportAt, T0, T0S, type StoreDir } from '../history-helpers.js';

const gpuReport = (ms: number) => reportAt('gpu-01', ms);
const satya = { gpu: 0, user: 'satya', cmd: 'python train.py' };

describe('GPU process ids', () => {
  let h: StoreDir | undefined;
  afterEach(async () => {
    await h?.remove();
    h = undefined;
  });

  it('an id above 2^24 reads back as its own name in raw rows, buckets and compacted spans', async () => {
    h = openTempStore();
    // A dictionary that has grown past 2^24 names: the next one gets 2^24 + 1, which float32 rounds to 2^24.
    h.store.db.prepare("INSERT INTO history_procs (id, username, cmd) VALUES (?, 'someone', 'else')").run(2 ** 24);
    await h.store.ingest(gpuReport(T0), T0);
    await h.store.ingest(gpuReport(T0 + 10_000), T0 + 10_000);
    expect(h.store.db.prepare("SELECT id FROM history_procs WHERE username = 'satya'").pluck().get()).toBe(2 ** 24 + 1);
    const raw = await h.store.readGpuProcesses('gpu-01', 'raw', T0S, T0S);
    expect(raw[0]!.processes).toEqual([expect.objectContaining(satya)]);
    const chunks = (tier: number) =>
      h!.store.db.prepare<[number], number>('SELECT count(*) FROM history_chunk WHERE tier = ?').pluck().get(tier);
    const names = async (tier: string) =>
      (await h!.store.readGpuProcesses('gpu-01', tier, T0S, T0S + 59)).map((r) => r.processes);
    // Two hours on: the minute is rolled up and the raw hour compacted.
    await maintainAll(h.store, T0 + 2 * 3_600_000);
    expect(chunks(0)).toBe(1);
    expect(await names('raw')).toEqual([[expect.objectContaining(satya)], [expect.objectContaining(satya)]]);
    expect(await names('1m')).toEqual([[expect.objectContaining({ ...satya, samples: 2 })]]);
    // A late report reopens the compacted hour (its rows go back to head rows) and rebuilds the minute.
    await h.store.ingest(gpuReport(T0 + 20_000), T0 + 2 * 3_600_000);
    expect(chunks(0)).toBe(0);
    expect(await names('raw')).toEqual([0, 1, 2].map(() => [expect.objectContaining(satya)]));
    // Six days on: the minute's span is compacted too, and read back from its chunk.
    await maintainAll(h.store, T0 + 6 * 86_400_000);
    expect(chunks(60)).toBe(1);
    expect(await names('1m')).toEqual([[expect.objectContaining({ ...satya, samples: 3 })]]);
    expect((await h.store.readGpuProcesses('gpu-01', '1h', T0S, T0S)).map((r) => r.processes)).toEqual([
      [expect.objectContaining({ ...satya, samples: 3 })],
    ]);
  });

  it('reads process tuples written in the float32 format', async () => {
    h = openTempStore();
    await h.store.ingest(gpuReport(T0), T0);
    const id = h.store.db.prepare<[], number>("SELECT id FROM history_procs WHERE username = 'satya'").pluck().get()!;
    h.store.db.prepare('UPDATE history_raw SET procs = ?').run(encodeFloats([0, id, 8900]));
    const rows = await h.store.readGpuProcesses('gpu-01', 'raw', T0S, T0S);
    expect(rows[0]!.processes).toEqual([{ ...satya, samples: 1, memSamples: 1, avgMem: 8900, maxMem: 8900 }]);
  });
});
