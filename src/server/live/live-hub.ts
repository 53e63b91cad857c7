/**
 * The live-events hub of one server process. It derives events from the
 * store, not from this process's requests, so that with WORKERS=N (or several
 * instances on one database) every client sees every change:
 *
 * - a poll of `store.changeToken()` catches commits made by any process;
 * - this process's own reports/deletes (FleetEvents) trigger a check at once,
 *   for low latency;
 * - a timer fires when the next host crosses the stale threshold.
 *
 * Each check diffs a snapshot of (receivedAt, up) per host against the last
 * one. The hub runs only while at least one client listens.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { HostStatus } from '../../contract/index.js';
import type { FleetEvents } from '../fleet-events.js';
import type { FleetView } from '../fleet-view.js';
import type { Store } from '../../store/store.js';
import { diffFleet, type HostMark, type LiveChange } from './live-diff.js';

/** One event as sent on the wire. */
export interface LiveEvent {
  id: number;
  event: 'report' | 'up' | 'down' | 'deleted';
  data: HostStatus | { server_alias: string; received_at?: string };
}

/** What the hub needs from the app. */
export interface LiveHubOptions {
  store: Store;
  fleet: FleetView;
  events: FleetEvents;
  staleMs: number;
  now: () => number;
  log?: FastifyBaseLogger;
  /** How often to look for commits by other processes, ms. */
  pollMs?: number;
}

export class LiveHub {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private snapshot: Map<string, HostMark> | undefined;
  private nextId = 1;
  private lastToken = '';
  private pollTimer: NodeJS.Timeout | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private checking: Promise<void> | undefined;
  private again = false;

  constructor(private readonly options: LiveHubOptions) {}

  /** Adds a listener; the hub starts with the first one and stops after the last. */
  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Number of connected listeners. */
  get size(): number {
    return this.listeners.size;
  }

  /** Stops timers and forgets every listener (server shutdown). */
  close(): void {
    this.listeners.clear();
    this.stop();
  }

  private start(): void {
    this.unsubscribe = this.options.events.subscribe(() => this.check());
    this.pollTimer = setInterval(() => void this.pollToken(), this.options.pollMs ?? 1000);
    this.pollTimer.unref();
    this.check();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.pollTimer);
    clearTimeout(this.staleTimer);
    this.pollTimer = this.staleTimer = undefined;
    this.snapshot = undefined;
    this.lastToken = '';
  }

  private async pollToken(): Promise<void> {
    try {
      if ((await this.options.store.changeToken()) !== this.lastToken) this.check();
    } catch (err) {
      this.options.log?.warn({ err }, 'live events: change poll failed');
    }
  }

  /** Runs one diff; checks requested while one runs are folded into a single follow-up. */
  private check(): void {
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = this.diff()
      .catch((err: unknown) => this.options.log?.warn({ err }, 'live events: check failed'))
      .finally(() => {
        this.checking = undefined;
        if (this.again && this.listeners.size > 0) {
          this.again = false;
          this.check();
        }
      });
  }

  private async diff(): Promise<void> {
    const { store, fleet, now, staleMs } = this.options;
    this.lastToken = await store.changeToken();
    const records = await fleet.records();
    if (this.listeners.size === 0) return;
    const at = now();
    const marks = new Map<string, HostMark>();
    const byAlias = new Map(records.map((r) => [r.alias, r]));
    let nextFlip = Infinity;
    for (const r of records) {
      const up = fleet.isUp(r.receivedAt, at);
      marks.set(r.alias, { receivedAt: r.receivedAt, up });
      if (up) nextFlip = Math.min(nextFlip, r.receivedAt + staleMs + 1);
    }
    const before = this.snapshot;
    this.snapshot = marks;
    this.scheduleStale(nextFlip - at);
    if (!before) return; // the first snapshot is the baseline; clients fetch /api/status for it
    for (const change of diffFleet(before, marks)) this.emit(this.toEvent(change, byAlias.get(change.alias), at));
  }

  private scheduleStale(inMs: number): void {
    clearTimeout(this.staleTimer);
    if (!Number.isFinite(inMs)) return;
    this.staleTimer = setTimeout(() => this.check(), Math.max(inMs, 0) + 5);
    this.staleTimer.unref();
  }

  private toEvent(change: LiveChange, record: Parameters<FleetView['hostStatus']>[0] | undefined, at: number): LiveEvent {
    const id = this.nextId++;
    if (change.kind === 'deleted') return { id, event: 'deleted', data: { server_alias: change.alias } };
    if (change.kind === 'down') {
      return { id, event: 'down', data: { server_alias: change.alias, received_at: new Date(change.receivedAt).toISOString() } };
    }
    return { id, event: change.kind, data: this.options.fleet.hostStatus(record!, this.options.fleet.isUp(record!.receivedAt, at)) };
  }

  private emit(event: LiveEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.options.log?.warn({ err }, 'live events: listener failed');
      }
    }
  }
}
