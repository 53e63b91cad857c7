/** Maintenance keeps its progress in the database: a store closed mid-way and opened again ends with the same history. */
import { describe, expect, it } from 'vitest';
import type { HistoryRow } from '../../../src/history/types.js';
import type { Store } from '../../../src/store/store.js';
import { selectedBackends } from './backends.js';
import { cpuReport, freshDatabase, maintainAll, T0, T0S } from './fixtures.js';

const HOSTS = 12;
const HOURS = 3;
const EVERY_MS = 60_000;
/** Past the raw tier's 24 h: rollup, compaction and retention all have work. */
const NOW_MS = T0 + 28 * 3_600_000;

/** Every host's reports over HOURS, each time step ingested at once (as a fleet reports). */
async function fill(store: Store): Promise<void> {
  for (let ms = T0; ms < T0 + HOURS * 3_600_000; ms += EVERY_MS) {
    await Promise.all(
      Array.from({ length: HOSTS }, (_, h) => store.ingest(cpuReport(`h${h}`, ms, (h * 13 + ms / EVERY_MS) % 100), ms)),
    );
  }
  // A fresh report from each host at NOW, so the hosts are current.
  await Promise.all(Array.from({ length: HOSTS }, (_, h) => store.ingest(cpuReport(`h${h}`, NOW_MS, 1), NOW_MS)));
}

/** Every row of every host in every tier. */
async function everything(store: Store): Promise<Record<string, HistoryRow[] | undefined>> {
  const all: Record<string, HistoryRow[] | undefined> = {};
  for (const tier of store.historyTiers()) {
    for (let h = 0; h < HOSTS; h++)
      all[`h${h} ${tier.name}`] = await store.readHistory(`h${h}`, tier.name, 0, NOW_MS / 1000);
  }
  return all;
}

describe.each(selectedBackends())('%s store: maintenance across a restart', (backend) => {
  const uninterrupted = freshDatabase(backend);
  const interrupted = freshDatabase(backend);

  it('resumes where it stopped and ends with the same history as a run without a break', async () => {
    const straight = await uninterrupted().open();
    await fill(straight);
    const batches = await maintainAll(straight, NOW_MS);
    expect(batches).toBeGreaterThan(6);
    const expected = await everything(straight);
    expect(expected[`h0 1m`]!.length).toBe(HOURS * 60);
    expect(expected[`h0 raw`]!.map((r) => r.t)).toEqual([NOW_MS / 1000]); // the 3 hours of raw reports expired
    expect(expected[`h0 1h`]!.map((r) => r.t)).toEqual([T0S, T0S + 3600, T0S + 7200]);

    let store = await interrupted().open();
    await fill(store);
    // Two breaks: early in the rollup, and about half-way.
    for (const stop of [2, Math.floor(batches / 2)]) {
      for (let i = 0; i < stop; i++) expect(await store.historyMaintenance(NOW_MS)).toBe(true);
      await store.close();
      store = await interrupted().open();
    }
    await maintainAll(store, NOW_MS);
    expect(await everything(store)).toEqual(expected);
  });
});
