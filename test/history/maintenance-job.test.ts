/** MaintenanceJob: batches until caught up, its pauses, and how fast it stops. */
import { afterEach, describe, expect, it } from 'vitest';
import { WriteLockBusyError } from '../../src/history/history-port.js';
import { MaintenanceJob, type MaintenanceLog } from '../../src/history/maintenance/maintenance-job.js';
import { cpuReport, openTempStore, T0, T0S, type StoreDir } from '../store/history-helpers.js';

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

const until = async (done: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('MaintenanceJob', () => {
  let h: StoreDir | undefined;
  afterEach(async () => {
    await h?.remove();
    h = undefined;
  });

  it('rolls up a real store until caught up, and stops cleanly', async () => {
    h = openTempStore();
    await h.store.ingest(cpuReport('a', T0, 10), T0);
    await h.store.ingest(cpuReport('a', T0 + 10_000, 30), T0 + 10_000);
    const { log, lines } = recordingLog();
    const store = h.store;
    const job = new MaintenanceJob((now) => store.historyMaintenance(now), log, {
      now: () => T0 + 2 * 3_600_000,
      idleMs: 50,
    });
    job.start();
    await until(() => lines.includes('history maintenance caught up'));
    await job.stop();
    const hour = (await store.readHistory('a', '1h', T0S, T0S))!;
    expect(hour.map((r) => r.n)).toEqual([2]);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('stops at once after a batch that seemed to take 10 s (the process was frozen, or waited for the lock)', async () => {
    // A monotonic clock that jumps 10 s during every batch, as it does for a process stopped with SIGSTOP mid-batch:
    // a pause of twice the batch's duration would be 20 s, and a stop used to wait for all of it.
    let clock = 0;
    let batches = 0;
    const job = new MaintenanceJob(
      () => {
        batches++;
        clock += 10_000;
        return true;
      },
      undefined,
      { monotonic: () => clock },
    );
    job.start();
    await until(() => batches === 1);
    const asked = performance.now();
    await job.stop();
    expect(performance.now() - asked).toBeLessThan(500);
    expect(batches).toBe(1);
  });

  it('pauses at most maxPauseMs between batches however long one took', async () => {
    let clock = 0;
    let batches = 0;
    const job = new MaintenanceJob(
      () => {
        batches++;
        clock += 60_000;
        return batches < 3;
      },
      undefined,
      { monotonic: () => clock, maxPauseMs: 20 },
    );
    job.start();
    await until(() => batches === 3, 2_000);
    await job.stop();
  });

  it('tries again shortly when the write lock is taken, without logging an error', async () => {
    const { log, lines } = recordingLog();
    let calls = 0;
    const job = new MaintenanceJob(
      () => {
        calls++;
        if (calls < 3) throw new WriteLockBusyError();
        return false;
      },
      log,
      { busyRetryMs: 1, idleMs: 60_000 },
    );
    job.start();
    await until(() => calls === 3);
    await job.stop();
    expect(lines).toEqual([]);
  });

  it('logs a failed batch and goes on after its nap', async () => {
    const { log, lines } = recordingLog();
    let calls = 0;
    const job = new MaintenanceJob(
      () => {
        calls++;
        if (calls === 1) throw new Error('disk trouble');
        return false;
      },
      log,
      { idleMs: 1 },
    );
    job.start();
    await until(() => calls >= 2);
    await job.stop();
    expect(lines[0]).toBe('error history maintenance failed');
  });
});
