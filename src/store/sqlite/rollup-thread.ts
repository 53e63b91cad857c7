/**
 * The background thread (see background-rollup.ts): its own SqliteStore on
 * the same file, running RollupJob and the WAL checkpoints (wal-checkpointer.ts)
 * until told to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RollupJob } from '../../history/rollup-job.js';
import type { RollupThreadInit, RollupThreadLog } from './background-rollup.js';
import { SqliteStore } from './sqlite-store.js';
import { WalCheckpointer } from './wal-checkpointer.js';

const port = parentPort!;
const init = workerData as RollupThreadInit;
const send = (level: RollupThreadLog['level']) => (data: unknown, msg?: string): void => {
  port.postMessage({ level, msg: msg ?? 'history rollup', data: plain(data) } satisfies RollupThreadLog);
};

// Its commits are not fsynced on their own: a power loss may undo the thread's last batches (whole, never
// half of one), and the job simply does them again; the main connection's fsync covers every frame before
// its own. Its checkpoints do sync the WAL and the database, as every SQLite checkpoint does.
// A small page cache: this connection reads each span of history once, to fold or compact it.
const store = new SqliteStore({
  dataDir: init.dataDir, synchronous: 'NORMAL', history: init.tiers ? { tiers: init.tiers } : {}, cacheMiB: 32,
});
const job = new RollupJob(store, { log: { error: send('error'), debug: send('debug') }, ...(init.idleMs ? { idleMs: init.idleMs } : {}) });
job.start();
const checkpointer = new WalCheckpointer(store.db);
checkpointer.start((err) => send('error')({ err }, 'WAL checkpoint failed'));

port.on('message', (message) => {
  if (message !== 'stop') return;
  checkpointer.stop();
  void job.stop().then(() => store.close()).finally(() => {
    port.postMessage('stopped');
    port.close();
  });
});
port.postMessage('ready');

/** Errors do not survive postMessage with their message intact everywhere; send plain fields. */
function plain(data: unknown): Record<string, unknown> {
  if (!data || typeof data !== 'object') return { value: data };
  const out: Record<string, unknown> = { ...data };
  if (out.err instanceof Error) out.err = { message: out.err.message, stack: out.err.stack };
  return out;
}
