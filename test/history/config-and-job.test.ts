/** History settings in the server config, and the background rollup job on a real store. */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { RollupJob } from '../../src/history/rollup-job.js';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { BackgroundRollup } from '../../src/store/sqlite/background-rollup.js';
import { cpuReport, openTempStore, T0, T0S, type StoreDir } from '../store/history-helpers.js';

describe('history config', () => {
  it('defaults to history on with the four default tiers', () => {
    const config = loadConfig({});
    expect(config.historyEnabled).toBe(true);
    expect(config.historyTiers.map((t) => t.name)).toEqual(['raw', '1m', '15m', '1h']);
  });

  it('reads HISTORY_ENABLED and HISTORY_TIERS', () => {
    const config = loadConfig({ HISTORY_ENABLED: 'false', HISTORY_TIERS: 'raw:12h,5m:30d' });
    expect(config.historyEnabled).toBe(false);
    expect(config.historyTiers).toEqual([{ name: 'raw', width: 0, retention: 43_200 }, { name: '5m', width: 300, retention: 2_592_000 }]);
  });

  it('refuses unusable tiers with a message naming the variable', () => {
    expect(() => loadConfig({ HISTORY_TIERS: 'raw:24h,7m:7d' })).toThrow(ConfigError);
    expect(() => loadConfig({ HISTORY_TIERS: 'raw:24h,7m:7d' })).toThrow(/HISTORY_TIERS: .*divide a day/);
    expect(() => loadConfig({ HISTORY_ENABLED: 'maybe' })).toThrow(/HISTORY_ENABLED/);
  });
});

/** A store holding two reports of host "a" in the first hour after T0 (cpu 10 and 30). */
async function storeWithTwoReports(): Promise<StoreDir> {
  const h = openTempStore();
  await h.store.ingest(cpuReport('a', T0, 10), T0);
  await h.store.ingest(cpuReport('a', T0 + 10_000, 30), T0 + 10_000);
  return h;
}

/** Waits (at most `ms`) until that hour's 1-hour bucket exists. */
async function untilHourBuilt(h: StoreDir, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await h.store.readHistory('a', '1h', T0S, T0S))!.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The 1-hour bucket folds both reports: n 2, average cpu 20. */
async function expectHourOfTwoReports(h: StoreDir): Promise<void> {
  const hour = (await h.store.readHistory('a', '1h', T0S, T0S))!;
  expect(hour.map((r) => r.n)).toEqual([2]);
  expect(hour[0]!.avg[hour[0]!.keys.indexOf('cpu')]).toBe(20);
}

describe('RollupJob', () => {
  let h: StoreDir | undefined;
  afterEach(async () => { await h?.remove(); });

  it('rolls up in the background until caught up, and stops cleanly', async () => {
    h = await storeWithTwoReports();
    const job = new RollupJob(h.store, { now: () => T0 + 2 * 3_600_000, idleMs: 50 });
    job.start();
    await untilHourBuilt(h, 10_000);
    await job.stop();
    await expectHourOfTwoReports(h);
  });
});

describe('BackgroundRollup (the server runs the job on a thread of its own)', () => {
  let h: StoreDir | undefined;
  afterEach(async () => { await h?.remove(); });

  it('rolls up what another connection wrote, and stops cleanly', async () => {
    h = await storeWithTwoReports();
    const lines: string[] = [];
    const log = { error: (_: unknown, msg: string) => { lines.push(`error ${msg}`); }, debug: (_: unknown, msg: string) => { lines.push(msg); } };
    const thread = await BackgroundRollup.start({ dataDir: h.dir, idleMs: 50 }, log);
    try {
      await untilHourBuilt(h, 15_000);
    } finally {
      await thread.stop();
    }
    await expectHourOfTwoReports(h);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(lines).toContain('history rollup caught up');
  });

  it('starts the thread again when it ends without being asked to, and stops the new one cleanly', async () => {
    // A stand-in thread speaking the same protocol: the first one dies of an uncaught error soon after start.
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      parentPort.postMessage('ready');
      if (workerData.crash) setTimeout(() => { throw new Error('thread crashed'); }, 20);
      parentPort.on('message', (m) => { if (m === 'stop') { parentPort.postMessage('stopped'); parentPort.close(); } });`;
    const workers: Worker[] = [];
    const createWorker = (): Worker => {
      const worker = new Worker(code, { eval: true, workerData: { crash: workers.length === 0 } });
      workers.push(worker);
      return worker;
    };
    const lines: string[] = [];
    const log = { error: (_: unknown, msg: string) => { lines.push(msg); }, debug: () => {} };
    const thread = await BackgroundRollup.start({ dataDir: 'unused' }, log, { restartDelayMs: 10, createWorker });
    const deadline = Date.now() + 10_000;
    while (workers.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the second one reports ready
    await thread.stop();
    expect(workers).toHaveLength(2);
    expect(lines).toEqual(['history rollup thread failed', 'history rollup thread ended unexpectedly; starting it again']);
    expect(workers.map((w) => w.threadId)).toEqual([-1, -1]); // both have exited
  });

  it('ends a thread that does not stop by itself once the grace period is over', async () => {
    // A stand-in that reports ready, then ignores 'stop' and keeps itself alive.
    const code = `
      const { parentPort } = require('node:worker_threads');
      parentPort.postMessage('ready');
      setInterval(() => {}, 1000);`;
    let worker: Worker | undefined;
    const createWorker = (): Worker => (worker = new Worker(code, { eval: true }));
    const lines: string[] = [];
    const log = { error: (_: unknown, msg: string) => { lines.push(msg); }, debug: () => {} };
    const thread = await BackgroundRollup.start({ dataDir: 'unused' }, log, { createWorker, stopGraceMs: 200 });
    const started = Date.now();
    await thread.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(worker!.threadId).toBe(-1);
    expect(lines).toEqual(['history rollup thread did not stop in time; ending it']);
  });
});
