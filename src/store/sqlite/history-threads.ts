/**
 * History queries on threads of their own (history-query-thread.ts), each
 * with a read-only connection to the store's file. On the main thread a
 * heavy query (a day of every series of an 8-GPU host) held the event loop
 * for tens of milliseconds, and one client asking it in a loop cut ingest
 * from 4,191 to 119 reports/s. Here the main thread only posts the query
 * and sends back the bytes it gets. A QueryGate keeps at most `concurrency`
 * queries in flight, one per thread; threads start when first needed, and
 * one that runs past the time limit is ended and its query refused.
 */
import type { Worker } from 'node:worker_threads';
import { QueryError, type AnswerLimits, type HistoryQuery } from '../../history/query.js';
import type { Tier } from '../../history/tiers.js';
import { HistoryTimeoutError, QueryGate, type HistoryQueryLimits } from '../history-queries.js';
import { moduleWorker } from './module-worker.js';

/** What a query thread is started with (workerData). */
export interface HistoryThreadInit {
  file: string;
  tiers: readonly Tier[];
  limits: AnswerLimits;
}

/** A thread's answer to one query. */
export type ThreadReply = { json: Uint8Array } | { error: 'query' | 'failed'; message: string };

interface QueryThread {
  worker: Worker;
  settle?: (reply: ThreadReply | Error) => void;
}

/** Heap one thread may use: a query's rows and answer take tens of MB; past this the thread ends, not the server. */
const THREAD_HEAP_MIB = 512;

export class HistoryThreads {
  private readonly gate: QueryGate;
  private readonly idle: QueryThread[] = [];
  private readonly live = new Set<QueryThread>();
  private closed = false;

  constructor(
    private readonly init: HistoryThreadInit,
    private readonly limits: HistoryQueryLimits,
  ) {
    this.gate = new QueryGate(limits);
  }

  /** The answer as UTF-8 JSON; rejects as Store.queryHistory describes. */
  run(query: HistoryQuery, signal?: AbortSignal): Promise<Buffer> {
    return this.gate.run(async () => {
      if (this.closed) throw new Error('the store is closed');
      const thread = this.idle.pop() ?? (await this.startFor(signal));
      if (signal?.aborted) {
        this.release(thread);
        throw signal.reason;
      }
      const reply = await this.ask(thread, query, signal);
      this.release(thread);
      if ('json' in reply) return Buffer.from(reply.json.buffer, reply.json.byteOffset, reply.json.byteLength);
      throw reply.error === 'query'
        ? new QueryError(reply.message)
        : new Error(`history query failed: ${reply.message}`);
    }, signal);
  }

  /** Ends every thread; queries in flight reject. */
  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    await Promise.all([...this.live].map((t) => t.worker.terminate()));
  }

  /** Posts the query; past the time limit, or when `signal` aborts, the thread is ended (a query cannot be interrupted otherwise). */
  private ask(thread: QueryThread, query: HistoryQuery, signal: AbortSignal | undefined): Promise<ThreadReply> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(overdue);
        signal?.removeEventListener('abort', stop);
        thread.settle = undefined;
      };
      const end = (error: unknown): void => {
        done();
        void thread.worker.terminate();
        reject(error);
      };
      const overdue = setTimeout(() => end(new HistoryTimeoutError(this.limits.timeoutMs)), this.limits.timeoutMs);
      const stop = (): void => end(signal!.reason);
      signal?.addEventListener('abort', stop, { once: true });
      thread.settle = (reply) => {
        done();
        thread.worker.unref();
        if (reply instanceof Error) reject(reply);
        else resolve(reply);
      };
      // Referenced only while it works: an idle thread never keeps the process alive.
      thread.worker.ref();
      thread.worker.postMessage(query);
    });
  }

  /**
   * A thread done with its query waits for the next one, unless there are
   * more threads than slots (one was started for a query whose client left
   * meanwhile, see startFor).
   */
  private release(thread: QueryThread): void {
    if (this.closed || this.live.size > this.limits.concurrency) void thread.worker.terminate();
    else this.idle.push(thread);
  }

  /** A new thread, or the signal's reason as soon as it aborts: the thread then starts for whoever comes next. */
  private startFor(signal: AbortSignal | undefined): Promise<QueryThread> {
    const starting = this.start();
    if (!signal) return starting;
    return new Promise((resolve, reject) => {
      const leave = (): void => {
        starting.then(
          (thread) => this.release(thread),
          () => {
            /* it never started: nothing to release */
          },
        );
        reject(signal.reason);
      };
      signal.addEventListener('abort', leave, { once: true });
      starting.then(
        (thread) => {
          signal.removeEventListener('abort', leave);
          resolve(thread);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', leave);
          reject(error);
        },
      );
    });
  }

  /** Starts a thread and resolves once its connection is open. */
  private start(): Promise<QueryThread> {
    const worker = moduleWorker(import.meta.url, 'history-query-thread', {
      workerData: this.init,
      resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MIB },
    });
    const thread: QueryThread = { worker };
    this.live.add(thread);
    let failure: Error | undefined;
    worker.on('error', (err) => {
      failure = err;
    });
    return new Promise((resolve, reject) => {
      worker.on('message', (m: ThreadReply | 'ready') => {
        if (m !== 'ready') thread.settle?.(m);
        else {
          worker.unref();
          resolve(thread);
        }
      });
      worker.once('exit', (code) => {
        this.live.delete(thread);
        const at = this.idle.indexOf(thread);
        if (at >= 0) this.idle.splice(at, 1);
        const error = new Error(`history query thread exited (code ${code})${failure ? `: ${failure.message}` : ''}`);
        thread.settle?.(error);
        reject(error); // no effect once it was ready
      });
    });
  }
}
