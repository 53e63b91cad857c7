/** The SQLite store's background maintenance: its thread, the supervisor, and the lease that runs it once per database. */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { MaintenanceLog } from '../../../src/history/maintenance/maintenance-job.js';
import { MaintenanceSupervisor } from '../../../src/store/sqlite/maintenance-supervisor.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { cpuReport, openTempStore, T0, T0S, type StoreDir } from '../history-helpers.js';

function recordingLog(): { log: MaintenanceLog; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: {
      error: (_, msg) => {
        lines.push(`error ${msg}`);
      },
      debug: (_, msg) => {
        lines.push(msg);
      },
    },
  };
}

const until = async (done: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** A stand-in thread speaking the thread's protocol; `crash` makes it die of an uncaught error soon after start. */
const STAND_IN = `
  const { parentPort, workerData } = require('node:worker_threads');
  parentPort.postMessage({ ready: 'stand-in' });
  if (workerData && workerData.crash) setTimeout(() => { throw new Error('thread crashed'); }, 20);
  if (workerData && workerData.deaf) setInterval(() => {}, 1000);
  else parentPort.on('message', (m) => { if (m === 'stop') { parentPort.postMessage('stopped'); parentPort.close(); } });`;

describe('the maintenance thread', () => {
  let h: StoreDir | undefined;
  afterEach(async () => {
    await h?.remove();
    h = undefined;
  });

  it('runs the TypeScript sources when the tests do, and rolls up what the serving connection wrote', async () => {
    h = openTempStore();
    // Reports from the first hour after T0, which lies in the past: its buckets are all due.
    await h.store.ingest(cpuReport('a', T0, 10), T0);
    await h.store.ingest(cpuReport('a', T0 + 10_000, 30), T0 + 10_000);
    const { log, lines } = recordingLog();
    const maintenance = await h.store.startMaintenance(log, { idleMs: 50 });
    try {
      expect(maintenance.thread!.threadUrl).toMatch(/\/src\/store\/sqlite\/maintenance-thread\.ts$/);
      await until(async () => (await h!.store.readHistory('a', '1h', T0S, T0S))!.length > 0);
    } finally {
      await maintenance.stop();
    }
    const hour = (await h.store.readHistory('a', '1h', T0S, T0S))!;
    expect(hour.map((r) => r.n)).toEqual([2]);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('stops within a second in the middle of a backlog while another connection holds the write lock', async () => {
    h = openTempStore({ synchronous: 'NORMAL' });
    const hosts = Array.from({ length: 20 }, (_, i) => `h${i}`);
    for (let m = 0; m < 120; m++) {
      const ms = T0 + m * 60_000;
      await Promise.all(hosts.map((alias) => h!.store.ingest(cpuReport(alias, ms, m % 100), ms)));
    }
    const { log, lines } = recordingLog();
    const maintenance = await h.store.startMaintenance(log, { stopGraceMs: 30_000 });
    const other = new Database(join(h.dir, 'fleetwatch.db'));
    try {
      const built = other.prepare<[], number>('SELECT count(*) FROM history_rollup').pluck();
      await until(() => built.get()! > 0); // busy with the backlog
      other.exec('BEGIN IMMEDIATE'); // and now wanting a lock that another writer holds
      await new Promise((resolve) => setTimeout(resolve, 300));
      const asked = performance.now();
      await maintenance.stop();
      expect(performance.now() - asked).toBeLessThan(1_000);
      other.exec('ROLLBACK');
      expect(built.get()!).toBeLessThan(hosts.length * 120); // it did stop halfway
    } finally {
      other.close();
    }
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});

describe('MaintenanceSupervisor', () => {
  it('starts the thread again when it ends without being asked to, and stops the new one cleanly', async () => {
    const workers: Worker[] = [];
    const createWorker = (): Worker => {
      const worker = new Worker(STAND_IN, { eval: true, workerData: { crash: workers.length === 0 } });
      workers.push(worker);
      return worker;
    };
    const { log, lines } = recordingLog();
    const thread = await MaintenanceSupervisor.start({ file: 'unused', tiers: [] }, log, {
      restartDelayMs: 10,
      createWorker,
    });
    await until(() => workers.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the second one reports ready
    await thread.stop();
    expect(lines).toEqual([
      'error history maintenance thread failed',
      'error history maintenance thread ended unexpectedly; starting it again',
    ]);
    expect(workers.map((w) => w.threadId)).toEqual([-1, -1]); // both have exited
  });

  it('ends a thread that does not stop by itself once the grace period is over, and says so at error level', async () => {
    let worker: Worker | undefined;
    const createWorker = (): Worker => (worker = new Worker(STAND_IN, { eval: true, workerData: { deaf: true } }));
    const { log, lines } = recordingLog();
    const thread = await MaintenanceSupervisor.start({ file: 'unused', tiers: [] }, log, {
      createWorker,
      stopGraceMs: 200,
    });
    const started = Date.now();
    await thread.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(worker!.threadId).toBe(-1);
    expect(lines).toEqual(['error history maintenance thread did not stop in time; ending it']);
  });
});

describe('the maintenance lease (one process at a time per database)', () => {
  const dirs: StoreDir[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await d.remove();
  });

  it('runs maintenance in one of two stores on a file; the other takes over when the holder stops renewing', async () => {
    const a = openTempStore();
    dirs.push(a);
    const b = new SqliteStore({ dataDir: a.dir });
    let now = 1_000_000;
    const options = {
      now: () => now,
      leaseMs: 30_000,
      renewEveryMs: 3_600_000, // renewals are called by hand below
      createWorker: () => new Worker(STAND_IN, { eval: true }),
    };
    const quiet = recordingLog().log;
    const first = await a.store.startMaintenance(quiet, options);
    const second = await b.startMaintenance(quiet, options);
    try {
      expect([first.running, second.running]).toEqual([true, false]);
      now += 20_000;
      await second.renew();
      expect(second.running).toBe(false); // not expired yet
      await first.renew(); // renewed: another 30 s from now
      now += 20_000;
      await second.renew();
      expect(second.running).toBe(false);
      now += 31_000; // the holder has not renewed for 31 s (it died, or hangs)
      await second.renew();
      expect(second.running).toBe(true);
      await first.renew();
      expect(first.running).toBe(false); // it learns it lost the lease, and stops its thread
      await second.stop(); // gives the lease up: no need to wait for it to expire
      await first.renew();
      expect(first.running).toBe(true);
    } finally {
      await first.stop();
      await second.stop();
      await b.close();
    }
  });
});
