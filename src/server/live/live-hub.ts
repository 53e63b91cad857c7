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
 * one. The hub runs only while at least one client listens. The events of a
 * check are serialized once, into one frame that every listener gets: the
 * cost of a check must not multiply with the number of open streams. Under a
 * flood of reports the hub paces itself: it rests after each check
 * (restAfter) and sends a bounded frame per check, each host in turn
 * (frameBudget), so dashboards see each host's latest state a little later
 * rather than the server stalling.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { FleetEvents } from '../fleet-events.js';
import type { FleetView } from '../fleet-view.js';
import type { Store } from '../../store/store.js';
import { diffFleet, inTurn, type HostMark, type LiveChange } from './live-diff.js';
import { sseFrame, type FrameListener, type LiveEvent } from './live-frame.js';

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
  /** Bytes of events one check may send (at least one event); the other changes wait for the next check. */
  frameBudget?: () => number;
  /** Milliseconds to rest after a check that took `busyMs` (its writes included) and sent `frameBytes`. */
  restAfter?: (busyMs: number, frameBytes: number) => number;
}

export class LiveHub {
  private readonly listeners = new Set<FrameListener>();
  private snapshot: Map<string, HostMark> | undefined;
  private nextId = 1;
  private lastToken = '';
  private pollTimer: NodeJS.Timeout | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private checking: Promise<void> | undefined;
  private resting: NodeJS.Timeout | undefined;
  private again = false;
  /** Fleet position where the next check starts when the last one could not send every change. */
  private turn = 0;

  constructor(private readonly options: LiveHubOptions) {}

  /** Adds a listener; the hub starts with the first one and stops after the last. */
  subscribe(listener: FrameListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
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
    clearTimeout(this.resting);
    this.pollTimer = this.staleTimer = this.resting = undefined;
    this.again = false;
    this.turn = 0;
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

  /**
   * Runs one diff; checks requested while one runs, or while the hub rests
   * after one, are folded into a single follow-up, which then carries more
   * changes instead of costing another check.
   */
  private check(): void {
    if (this.checking || this.resting) {
      this.again = true;
      return;
    }
    const started = performance.now();
    let sent = 0;
    this.checking = this.diff().then((bytes) => { sent = bytes; })
      .catch((err: unknown) => this.options.log?.warn({ err }, 'live events: check failed'))
      // A tick queued now runs after those queued while emitting, which is when node writes what
      // the listeners wrote to their (corked) sockets: that is part of what the check cost.
      .finally(() => process.nextTick(() => {
        this.checking = undefined;
        if (this.listeners.size === 0) return;
        this.resting = setTimeout(() => {
          this.resting = undefined;
          if (this.again && this.listeners.size > 0) {
            this.again = false;
            this.check();
          }
        }, this.options.restAfter?.(performance.now() - started, sent) ?? 0);
        this.resting.unref();
      }));
  }

  /** One check; resolves with the bytes of the frame it sent. */
  private async diff(): Promise<number> {
    const { store, fleet, now, staleMs } = this.options;
    this.lastToken = await store.changeToken();
    const records = await fleet.records();
    if (this.listeners.size === 0) return 0;
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
    if (!before) return 0; // the first snapshot is the baseline; clients fetch /api/status for it
    const position = new Map(records.map((r, i) => [r.alias, i]));
    const budget = this.options.frameBudget?.() ?? Infinity;
    const frames: string[] = [];
    let size = 0;
    let held = false;
    for (const change of inTurn(diffFleet(before, marks), (alias) => position.get(alias) ?? -1, this.turn, records.length)) {
      if (frames.length > 0 && size >= budget) {
        // Not sent: the snapshot keeps what the clients last heard, so the next check finds the change again.
        const heard = before.get(change.alias);
        if (heard) marks.set(change.alias, heard);
        else marks.delete(change.alias);
        held = true;
        continue;
      }
      const frame = sseFrame(this.toEvent(change, byAlias.get(change.alias), at));
      frames.push(frame);
      size += frame.length;
      this.turn = (position.get(change.alias) ?? this.turn - 1) + 1;
    }
    if (held) this.again = true;
    else this.turn = 0;
    if (frames.length === 0) return 0;
    const frame = Buffer.from(frames.join(''));
    this.emit(frame);
    return frame.length;
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

  private emit(frame: Buffer): void {
    for (const listener of this.listeners) {
      try {
        listener(frame);
      } catch (err) {
        this.options.log?.warn({ err }, 'live events: listener failed');
      }
    }
  }
}
