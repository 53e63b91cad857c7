/** Store.othersChangeToken: moves on every host change by another store on the database, not on this store's own writes nor on history-only work. */
import { describe, expect, it } from 'vitest';
import { selectedBackends } from './backends.js';
import { cpuReport, freshDatabase, maintainAll, reportAt, T0 } from './fixtures.js';

describe.each(selectedBackends())('%s store: change token', (backend) => {
  const database = freshDatabase(backend);

  it("stays on this store's own first report, newer one, late one and deletion, and while nothing is written", async () => {
    const store = await database().open();
    const token = await store.othersChangeToken();
    await store.ingest(reportAt('a', T0 + 60_000), T0 + 60_000);
    await store.ingest(reportAt('a', T0 + 120_000), T0 + 120_000);
    await store.ingest(reportAt('a', T0), T0 + 130_000); // late: only receivedAt moves
    await store.getHost('a');
    await store.listHostVersions();
    await store.deleteHost('a');
    expect(await store.othersChangeToken()).toBe(token);
  });

  it("moves on another store's first report, newer one, late one and deletion", async ({ skip }) => {
    const store = await database().open();
    if (!store.capabilities.sharedAcrossProcesses) skip();
    const other = await database().open();
    const tokens = [await store.othersChangeToken()];
    await other.ingest(reportAt('a', T0 + 60_000), T0 + 60_000);
    tokens.push(await store.othersChangeToken());
    await other.ingest(reportAt('a', T0 + 120_000), T0 + 120_000);
    tokens.push(await store.othersChangeToken());
    await store.ingest(reportAt('mine', T0), T0); // interleaved own write: moves nothing by itself
    expect(await store.othersChangeToken()).toBe(tokens.at(-1));
    await other.ingest(reportAt('a', T0), T0 + 130_000); // late: only receivedAt moves
    tokens.push(await store.othersChangeToken());
    await other.deleteHost('a');
    tokens.push(await store.othersChangeToken());
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("moves when another store on the same database writes, and that store's writes are readable here", async ({
    skip,
  }) => {
    const store = await database().open();
    if (!store.capabilities.sharedAcrossProcesses) skip();
    const other = await database().open();
    const before = await store.othersChangeToken();
    await other.ingest(reportAt('theirs', T0, { hostname: 'far' }), T0);
    const afterReport = await store.othersChangeToken();
    expect(afterReport).not.toBe(before);
    expect((await store.getHost('theirs'))?.report.hostname).toBe('far');
    expect(await store.listHostVersions()).toEqual(await other.listHostVersions());
    await other.deleteHost('theirs');
    expect(await store.othersChangeToken()).not.toBe(afterReport);
    expect(await store.getHost('theirs')).toBeUndefined();
  });

  it('stays when maintenance rolls up, compacts and expires history, here or in another store', async () => {
    const store = await database().open();
    for (let i = 0; i < 30; i++) await store.ingest(cpuReport('a', T0 + i * 60_000, i), T0 + i * 60_000);
    const token = await store.othersChangeToken();
    const worker = store.capabilities.sharedAcrossProcesses ? await database().open() : store;
    expect(await maintainAll(worker, T0 + 2 * 86_400_000)).toBeGreaterThan(0);
    expect(await store.othersChangeToken()).toBe(token);
    expect(await maintainAll(store, T0 + 3 * 86_400_000)).toBeGreaterThan(0);
    expect(await store.othersChangeToken()).toBe(token);
  });
});
