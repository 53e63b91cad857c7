/**
 * The maintenance thread (see maintenance-supervisor.ts): its own
 * connection to the store's file and the history engine over it, batch
 * after batch until told to stop. It opens no store: the serving process
 * has migrated the schema before starting it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { HistoryMaintenance } from '../../history/maintenance/history-maintenance.js';
import { MaintenanceJob } from '../../history/maintenance/maintenance-job.js';
import type {
  MaintenanceThreadInit,
  MaintenanceThreadLog,
  MaintenanceThreadMessage,
} from './maintenance-supervisor.js';
import { SqliteHistoryPort } from './sqlite-history-port.js';

const port = parentPort!;
const init = workerData as MaintenanceThreadInit;
const send =
  (level: MaintenanceThreadLog['level']) =>
  (data: unknown, msg?: string): void => {
    port.postMessage({ level, msg: msg ?? 'history maintenance', data: plain(data) } satisfies MaintenanceThreadLog);
  };

const db = new Database(init.file, { fileMustExist: true });
// A short wait for the write lock, then the batch is tried again from the event loop (WriteLockBusyError): a
// longer wait inside SQLite blocks this thread, and with it a stop, for as long as another writer holds the lock.
db.pragma('busy_timeout = 100');
// Its commits are not fsynced on their own: a power loss may undo the thread's last batches (whole, never
// half of one), and the job simply does them again; the main connection's fsync covers every frame before
// its own. Its automatic checkpoints do sync the WAL and the database, as every SQLite checkpoint does.
db.pragma('synchronous = NORMAL');
// A small page cache: this connection reads each span of history once, to fold or compact it.
db.pragma(`cache_size = -${32 * 1024}`);
db.pragma('wal_autocheckpoint = 4000');
const engine = new HistoryMaintenance(new SqliteHistoryPort(db), init.tiers);
const job = new MaintenanceJob(
  (now) => engine.step(now),
  { error: send('error'), debug: send('debug') },
  init.idleMs === undefined ? {} : { idleMs: init.idleMs },
);
job.start();

port.on('message', (message) => {
  if (message !== 'stop') return;
  void job.stop().finally(() => {
    db.close();
    port.postMessage('stopped' satisfies MaintenanceThreadMessage);
    port.close();
  });
});
// The module's own URL: a test run from the sources checks that the thread runs them too, not a stale build.
port.postMessage({ ready: import.meta.url } satisfies MaintenanceThreadMessage);

/** Errors do not survive postMessage with their message intact everywhere; send plain fields. */
function plain(data: unknown): Record<string, unknown> {
  if (!data || typeof data !== 'object') return { value: data };
  const out: Record<string, unknown> = { ...data };
  if (out.err instanceof Error) out.err = { message: out.err.message, stack: out.err.stack };
  return out;
}
