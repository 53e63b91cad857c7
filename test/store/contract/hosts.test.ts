/** The hosts' latest state through the Store interface: ingest, late reports, versions, batch reads, listings, deletion. */
import { describe, expect, it } from 'vitest';
import { selectedBackends } from './backends.js';
import { cpuReport, freshDatabase, reportAt, T0, T0S } from './fixtures.js';

describe.each(selectedBackends())('%s store: hosts', (backend) => {
  const database = freshDatabase(backend);

  it('tells a first report from later ones and keeps the newest by agent time as the latest state', async () => {
    const store = await database().open();
    expect(await store.ingest(reportAt('a', T0, { uptime_seconds: 1 }), T0)).toMatchObject({
      latest: true,
      newHost: true,
    });
    expect(await store.ingest(reportAt('a', T0 + 10_000, { uptime_seconds: 2 }), T0 + 10_000)).toMatchObject({
      latest: true,
      newHost: false,
    });
    expect(await store.ingest(reportAt('b', T0 + 10_000), T0 + 10_000)).toMatchObject({ latest: true, newHost: true });
    const a = (await store.getHost('a'))!;
    expect(a).toMatchObject({ alias: 'a', receivedAt: T0 + 10_000, reportTime: T0 + 10_000 });
    expect(a.report.uptime_seconds).toBe(2);
    expect(await store.getHost('nobody')).toBeUndefined();
    expect(await store.countHosts()).toBe(2);
  });

  it('files a late report (older agent time) in history, moving receivedAt but not the latest report', async () => {
    const store = await database().open();
    await store.ingest(cpuReport('a', T0 + 60_000, 20, { uptime_seconds: 2 }), T0 + 60_000);
    expect(await store.ingest(cpuReport('a', T0, 10, { uptime_seconds: 1 }), T0 + 120_000)).toMatchObject({
      latest: false,
      newHost: false,
    });
    const a = (await store.getHost('a'))!;
    expect(a.report.uptime_seconds).toBe(2);
    expect(a.reportTime).toBe(T0 + 60_000);
    expect(a.receivedAt).toBe(T0 + 120_000);
    const raw = (await store.readHistory('a', 'raw', T0S, T0S + 60))!;
    expect(raw.map((r) => [r.t, r.avg[r.keys.indexOf('cpu')]])).toEqual([
      [T0S, 10],
      [T0S + 60, 20],
    ]);
  });

  it('lets a report at the same agent time as the latest replace it', async () => {
    const store = await database().open();
    await store.ingest(reportAt('a', T0, { uptime_seconds: 1 }), T0);
    expect(await store.ingest(reportAt('a', T0, { uptime_seconds: 2 }), T0 + 5)).toMatchObject({
      latest: true,
      newHost: false,
    });
    expect((await store.getHost('a'))!.report.uptime_seconds).toBe(2);
  });

  it("moves a host's version on every write: identical reports in one millisecond, late reports, a clock that steps back", async () => {
    const store = await database().open();
    const report = reportAt('a', T0);
    const seen: string[] = [];
    const writes = [
      () => store.ingest(report, T0),
      () => store.ingest(report, T0),
      () => store.ingest(report, T0),
      () => store.ingest(reportAt('a', T0 - 60_000), T0), // late, same millisecond
      () => store.ingest(report, T0 - 5_000), // the server clock stepped back
    ];
    let last = -Infinity;
    for (const write of writes) {
      await write();
      const [version] = await store.listHostVersions();
      const record = (await store.getHost('a'))!;
      expect(version).toEqual({ alias: 'a', receivedAt: record.receivedAt, reportTime: record.reportTime });
      expect(record.receivedAt).toBeGreaterThan(last);
      last = record.receivedAt;
      seen.push(JSON.stringify(version));
    }
    expect(new Set(seen).size).toBe(writes.length);
    expect(last - T0).toBeLessThan(writes.length); // moved by a millisecond at a time, not jumped ahead
  });

  it('lists versions in first-report order, a host reported again after deletion last', async () => {
    const store = await database().open();
    for (const [i, alias] of ['z', 'y', 'x'].entries()) await store.ingest(reportAt(alias, T0 + i), T0 + i);
    await store.ingest(reportAt('z', T0 + 10), T0 + 10); // a newer report keeps the place
    expect((await store.listHostVersions()).map((v) => v.alias)).toEqual(['z', 'y', 'x']);
    await store.deleteHost('y');
    await store.ingest(reportAt('y', T0 + 20), T0 + 20);
    expect((await store.listHostVersions()).map((v) => v.alias)).toEqual(['z', 'x', 'y']);
  });

  it('reads a batch of hosts in the order asked, skipping unknown aliases', async () => {
    const store = await database().open();
    for (const alias of ['a', 'b', 'c']) await store.ingest(reportAt(alias, T0, { hostname: `host-${alias}` }), T0);
    const batch = await store.getHosts(['c', 'nobody', 'a']);
    expect(batch.map((r) => [r.alias, r.report.hostname])).toEqual([
      ['c', 'host-c'],
      ['a', 'host-a'],
    ]);
    expect(batch[0]).toEqual(await store.getHost('c'));
    expect(await store.getHosts([])).toEqual([]);
    expect(await store.getHosts(['nobody'])).toEqual([]);
  });

  it('lists hosts by group and label of their latest report, in first-report order', async () => {
    const store = await database().open();
    await store.ingest(reportAt('web', T0, { group: 'prod', labels: ['http'] }), T0);
    await store.ingest(reportAt('gpu', T0, { group: 'lab', labels: ['gpu', 'nvidia'] }), T0);
    await store.ingest(reportAt('gpu2', T0, { group: 'prod', labels: ['gpu'] }), T0);
    // A late report naming another group changes nothing: the latest report decides.
    await store.ingest(reportAt('web', T0 - 60_000, { group: 'lab', labels: ['gpu'] }), T0 + 1);
    expect(await store.listHosts()).toEqual(['web', 'gpu', 'gpu2']);
    expect(await store.listHosts({ group: 'prod' })).toEqual(['web', 'gpu2']);
    expect(await store.listHosts({ label: 'gpu' })).toEqual(['gpu', 'gpu2']);
    expect(await store.listHosts({ group: 'prod', label: 'gpu' })).toEqual(['gpu2']);
    expect(await store.listHosts({ label: 'nvid' })).toEqual([]); // whole labels only
    expect(await store.listHosts({ group: 'nowhere' })).toEqual([]);
  });

  it('deletes a host with its history and containers; a later report starts a new host', async () => {
    const store = await database().open();
    await store.ingest(cpuReport('a', T0, 10), T0);
    await store.ingest(cpuReport('b', T0, 30), T0);
    expect(await store.deleteHost('a')).toBe(true);
    expect(await store.deleteHost('a')).toBe(false);
    expect(await store.getHost('a')).toBeUndefined();
    expect(await store.getHosts(['a', 'b'])).toHaveLength(1);
    expect(await store.listHosts()).toEqual(['b']);
    expect(await store.countHosts()).toBe(1);
    expect(await store.readHistory('a', 'raw', 0, T0S * 2)).toBeUndefined();
    expect(await store.readHistory('b', 'raw', 0, T0S * 2)).toHaveLength(1);
    expect(await store.ingest(cpuReport('a', T0 + 60_000, 50, { containers: [] }), T0 + 60_000)).toMatchObject({
      latest: true,
      newHost: true,
    });
    expect((await store.getHost('a'))!.report.containers).toEqual([]);
    const raw = (await store.readHistory('a', 'raw', 0, T0S * 2))!;
    expect(raw.map((r) => r.t)).toEqual([T0S + 60]);
    expect(raw[0]!.keys.some((k) => k.startsWith('container.'))).toBe(false);
  });

  it('expires hosts silent since before a time, longest silent first, as deletion does, at most limit at once', async () => {
    const store = await database().open();
    await store.ingest(cpuReport('quiet', T0 + 20_000, 10), T0 + 20_000);
    await store.ingest(cpuReport('quietest', T0, 10), T0);
    await store.ingest(cpuReport('alive', T0, 10), T0);
    await store.ingest(cpuReport('alive', T0 + 50_000, 10), T0 + 50_000);
    await store.ingest(cpuReport('edge', T0 + 30_000, 10), T0 + 30_000);
    // Another store on the database hears of the expiry as of any deletion.
    const watcher = store.capabilities.sharedAcrossProcesses ? await database().open() : undefined;
    const token = await watcher?.othersChangeToken();
    expect(await store.expireHosts(T0 + 30_000, 1)).toEqual([{ alias: 'quietest', receivedAt: T0, reportTime: T0 }]);
    if (watcher) expect(await watcher.othersChangeToken()).not.toBe(token);
    const rest = await store.expireHosts(T0 + 30_000, 10);
    expect(rest.map((h) => h.alias)).toEqual(['quiet']);
    expect(await store.expireHosts(T0 + 30_000, 10)).toEqual([]);
    expect(await store.listHosts()).toEqual(['alive', 'edge']);
    expect(await store.readHistory('quiet', 'raw', 0, T0S * 2)).toBeUndefined();
    expect(await store.readHistory('alive', 'raw', 0, T0S * 2)).toHaveLength(2);
    expect(await store.ingest(cpuReport('quiet', T0 + 90_000, 10), T0 + 90_000)).toMatchObject({ newHost: true });
    expect((await store.readHistory('quiet', 'raw', 0, T0S * 2))!.map((r) => r.t)).toEqual([T0S + 90]);
  });
});
