/**
 * The one server-side source of host changes: `report`, `up`, `down` and
 * `deleted`. SSE (live/live-hub.ts) subscribes to it, and so will alerts and
 * the exporter. It keeps the read model (FleetView) current from three
 * inputs, none of which re-reads the fleet:
 *
 * - this process's writes, as its routes publish them (FleetEvents): the
 *   stored report and version, applied as they are (a late report, which
 *   moved only the version, is read back);
 * - other processes' commits (WORKERS=N, several instances on one database):
 *   when Store.othersChangeToken() has moved, the hosts' versions are listed
 *   and only the hosts whose version moved are read, in one getHosts call.
 *   The check runs on every dashboard read and, while anyone subscribes,
 *   every pollMs; this process's own writes do not move the token, so a
 *   fleet with one server never lists its hosts after start-up;
 * - the clock: a timer fires when the next host crosses the stale threshold.
 *
 * What a subscriber can rely on:
 * - per host, changes come in the order they were committed, each version of
 *   a host at most once per process; `before` is what was last announced
 *   about the host (undefined for one not seen before);
 * - this process's own reports each produce a change; another process's are
 *   seen at its next catch-up, so two reports of one host in between come as
 *   one change carrying the latest state (every change is seen, at least as
 *   its latest state, by every process);
 * - a subscriber hears only changes after it subscribed; the state before
 *   is the read model (FleetView) at that moment;
 * - a listener runs synchronously, inside ingest's path: it must do bounded
 *   work (remember the alias, schedule its own work), as the live hub does.
 *   A listener that throws is logged and kept.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { HostRecord, Store } from '../store/store.js';
import type { FleetEvents, IngestEvent } from './fleet-events.js';
import type { FleetView } from './fleet-view.js';
import { changeOf, type HostMark } from './host-change.js';
import { StaleWatch } from './stale-queue.js';

/** One change to one host, as subscribers get it. */
export type FleetChange =
  /** A new latest state (report: the host was up; up: it was down); `host` is the record now held. */
  | { type: 'report' | 'up'; alias: string; host: HostRecord; before: HostMark | undefined }
  /** The host crossed the stale threshold (or is first seen already past it); receivedAt is its last report. */
  | { type: 'down'; alias: string; receivedAt: number; before: HostMark | undefined }
  | { type: 'deleted'; alias: string; before: HostMark };

/** Hears every change; see the guarantees above. */
export type FleetListener = (change: FleetChange) => void;

/** What the monitor needs from the app. */
export interface FleetMonitorOptions {
  store: Store;
  events: FleetEvents;
  fleet: FleetView;
  staleMs: number;
  now: () => number;
  log?: FastifyBaseLogger;
  /** How often to look for other processes' commits while anyone subscribes, ms (default 1000). */
  pollMs?: number;
}

/** A host as last announced, and when the monitor last changed it (for catch-ups that overlap a write). */
interface Known extends HostMark {
  seq: number;
}

export class FleetMonitor {
  private readonly known = new Map<string, Known>();
  private readonly listeners = new Set<FleetListener>();
  private readonly stale: StaleWatch;
  private seq = 0;
  private token: string | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: FleetMonitorOptions) {
    this.stale = new StaleWatch({
      staleMs: options.staleMs,
      now: options.now,
      stillUp: (alias, receivedAt) => {
        const known = this.known.get(alias);
        return known !== undefined && known.up && known.receivedAt === receivedAt;
      },
      onDown: (alias, receivedAt) => {
        const before = this.known.get(alias)!;
        this.known.set(alias, { receivedAt, up: false, seq: ++this.seq });
        this.emit({ type: 'down', alias, receivedAt, before });
      },
    });
  }

  /** Loads every host into the read model (no changes are announced for them) and starts listening. */
  async start(): Promise<void> {
    this.unsubscribe = this.options.events.subscribe((event) => this.onIngest(event));
    await this.catchUp();
  }

  /** Stops timers and listening (server shutdown). */
  close(): void {
    this.unsubscribe?.();
    this.listeners.clear();
    clearInterval(this.pollTimer);
    this.stale.close();
    this.unsubscribe = this.pollTimer = undefined;
  }

  /** Adds a listener; returns its unsubscribe. While any listens, other processes' commits are looked for every pollMs. */
  subscribe(listener: FleetListener): () => void {
    this.listeners.add(listener);
    if (!this.pollTimer) {
      this.pollTimer = setInterval(() => {
        this.catchUp().catch((err: unknown) => this.options.log?.warn({ err }, 'fleet monitor: catching up failed'));
      }, this.options.pollMs ?? 1000);
      this.pollTimer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        clearInterval(this.pollTimer);
        this.pollTimer = undefined;
      }
    };
  }

  /** What was last announced about `alias`, or undefined for a host not (or no longer) known. */
  mark(alias: string): HostMark | undefined {
    return this.known.get(alias);
  }

  /**
   * Applies every commit made so far by any process. Calls that overlap one
   * in progress share a single follow-up, which starts after it: a caller
   * always sees what was committed before it called.
   */
  catchUp(): Promise<void> {
    if (!this.running) {
      this.running = this.reconcile().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => {})
      .then(() => {
        this.queued = undefined;
        return this.catchUp();
      });
    return this.queued;
  }

  private async reconcile(): Promise<void> {
    const { store, fleet } = this.options;
    this.stale.expire();
    const token = await store.othersChangeToken();
    if (token === this.token) return;
    const seq = this.seq;
    const versions = await store.listHostVersions();
    const moved: string[] = [];
    let unknown = 0;
    for (const v of versions) {
      const known = this.known.get(v.alias);
      if (!known) unknown++;
      if (!known || v.receivedAt > known.receivedAt) moved.push(v.alias);
    }
    if (unknown > 0 || versions.length !== this.known.size) {
      const listed = new Set(versions.map((v) => v.alias));
      // A host changed since the listing was asked for (by this process) is newer than the listing.
      for (const [alias, known] of this.known) if (!listed.has(alias) && known.seq <= seq) this.remove(alias);
    }
    const fresh = moved.length > 0 ? await store.getHosts(moved) : [];
    // In receive order, as they were committed (and so the stale queue takes them at its tail).
    fresh.sort((a, b) => a.receivedAt - b.receivedAt);
    for (const record of fresh) this.apply(record);
    if (unknown > 0) fleet.order(versions.map((v) => v.alias));
    this.token = token;
  }

  private onIngest(event: IngestEvent): void {
    if (event.type === 'deleted') {
      this.remove(event.alias);
      return;
    }
    const { alias, receivedAt, reportTime } = event;
    if (receivedAt <= (this.known.get(alias)?.receivedAt ?? -Infinity)) return;
    if (event.latest) {
      this.apply({ alias, report: event.report, receivedAt, reportTime });
      return;
    }
    // A late report moved only receivedAt of the latest one, which the read model keeps as bytes only: read it back.
    this.options.store
      .getHosts([alias])
      .then(([record]) => {
        if (record) this.apply(record);
      })
      .catch((err: unknown) => this.options.log?.warn({ err, alias }, 'fleet monitor: reading a host failed'));
  }

  /** Takes `record` into the model and announces it, unless this version (or a newer one) is already held. */
  private apply(record: HostRecord): void {
    const { alias, receivedAt } = record;
    const before = this.known.get(alias);
    if (before && receivedAt <= before.receivedAt) return;
    const up = this.options.fleet.isUp(receivedAt, this.options.now());
    this.known.set(alias, { receivedAt, up, seq: ++this.seq });
    this.options.fleet.put(record);
    if (up) this.stale.add(alias, receivedAt, this.known.size);
    const type = changeOf(before, { receivedAt, up });
    if (type === 'report' || type === 'up') this.emit({ type, alias, host: record, before });
    else if (type === 'down') this.emit({ type, alias, receivedAt, before });
  }

  private remove(alias: string): void {
    const before = this.known.get(alias);
    if (!before) return;
    this.known.delete(alias);
    this.seq++;
    this.options.fleet.remove(alias);
    this.emit({ type: 'deleted', alias, before });
  }

  private emit(change: FleetChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.options.log?.warn({ err, change: change.type, alias: change.alias }, 'fleet monitor: a listener failed');
      }
    }
  }
}
