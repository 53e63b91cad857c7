/**
 * Background history work on a large fleet with nothing to do: a maintenance
 * round must cost about one pass over the hosts, not one pass per batch.
 * Small batch sizes stand in for 10,000 hosts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HistoryDict } from '../../../src/store/sqlite/history-dict.js';
import { maintainAll, openTempStore, reportAt, T0, type StoreDir } from '../history-helpers.js';

const HOSTS = 20;
let h: StoreDir | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.remove();
  h = undefined;
});

/** Every host reports once at T0; rollup, compaction and retention look at 2 hosts per batch. */
async function fleetAtT0(): Promise<StoreDir> {
  h = openTempStore({ history: { maintenance: { hostsPerBatch: 2, compactHostsPerScan: 2 } } });
  for (let i = 0; i < HOSTS; i++) await h.store.ingest(reportAt(`host-${i}`, T0), T0);
  return h;
}

describe('history maintenance with nothing to do', () => {
  it('scans for spans to compact once per round, not again after every retention batch', async () => {
    const { store } = await fleetAtT0();
    // Rolling up the reports' minute: 10 batches; one compaction scan: 10; retention: 10 (every 2 hosts).
    // Before: each retention batch was followed by a whole new compaction scan, 10 × 10 batches more.
    expect(await maintainAll(store, T0 + 120_000)).toBeLessThanOrEqual((3 * HOSTS) / 2 + 5);
    // A minute later nothing is new: one scan (its limits moved) and the retention pass.
    expect(await maintainAll(store, T0 + 180_000)).toBeLessThanOrEqual((2 * HOSTS) / 2 + 5);
  });

  it("does not ask every host for a tier's first row in every batch while that tier has none", async () => {
    const { store } = await fleetAtT0();
    const allHostIds = vi.spyOn(HistoryDict.prototype, 'allHostIds');
    const batches = await maintainAll(store, T0 + 120_000);
    // The 15m tier has no rows yet, so the 1h tier cannot start: that is found out once, not in each of the batches.
    expect(batches).toBeGreaterThan(20);
    expect(allHostIds.mock.calls.length).toBeLessThanOrEqual(6);
  });
});
