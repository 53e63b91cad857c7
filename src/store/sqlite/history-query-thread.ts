/**
 * A history query thread (see history-threads.ts): a read-only connection
 * to the store's file, answering one query at a time with the engine of
 * src/history/query.ts and posting the answer back as UTF-8 JSON, whose
 * buffer moves to the main thread without a copy.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { answerQuery, QueryError, type HistoryQuery } from '../../history/query.js';
import { SqliteHistoryReader } from './history-reader.js';
import type { HistoryThreadInit, ThreadReply } from './history-threads.js';

const port = parentPort!;
const init = workerData as HistoryThreadInit;
lowerPriority();
const db = new Database(init.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 10000');
// A small page cache: compacted chunks are read once per query, and the OS caches the file as well.
db.pragma(`cache_size = -${16 * 1024}`);
const reader = new SqliteHistoryReader(db, init.tiers);
const encoder = new TextEncoder();

port.on('message', (query: HistoryQuery) => {
  answerQuery(reader, query, init.limits).then(
    (answer) => {
      const json = encoder.encode(JSON.stringify(answer));
      port.postMessage({ json } satisfies ThreadReply, [json.buffer]);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      port.postMessage({ error: error instanceof QueryError ? 'query' : 'failed', message } satisfies ThreadReply);
    },
  );
});
port.postMessage('ready');

/**
 * Linux keeps a nice value per thread: 10 more than the process's leaves
 * this thread little of a core that ingest on the main thread also wants,
 * and all of an idle one. Elsewhere (no /proc/thread-self) it keeps its priority.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.min(19, getPriority(tid) + 10));
  } catch {
    /* not Linux, or not allowed: the thread runs at the process's priority */
  }
}
