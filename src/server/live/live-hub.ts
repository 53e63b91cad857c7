/**
 * The live-events hub of one server process: it turns the fleet monitor's
 * changes (fleet-monitor.ts, which already sees every process's commits and
 * the stale threshold) into Server-Sent Events. The hub runs only while at
 * least one client listens.
 *
 * A change only marks its host as pending; a check then sends the pending
 * hosts' current state, in the order they first changed, serialized once
 * into one frame that every listener gets (a host's status entry comes from
 * the read model, already serialized for /api/status): the cost of a check
 * must not multiply with the number of open streams. Under a flood of
 * reports the hub paces itself: it rests after each check (restAfter) and
 * sends a bounded frame per check (frameBudget); hosts left over keep their
 * place for the next check, so every host gets its turn and dashboards see
 * each host's latest state a little later rather than the server stalling.
 * Several changes of one host while it waits become one event, named by
 * what listeners last heard (host-change.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { FleetMonitor } from '../fleet-monitor.js';
import type { FleetView } from '../fleet-view.js';
import { changeOf, type HostMark } from '../host-change.js';
import { sseFrame, type FrameListener } from './live-frame.js';

/** What the hub needs from the app. */
export interface LiveHubOptions {
  monitor: FleetMonitor;
  fleet: FleetView;
  log?: FastifyBaseLogger;
  /** Bytes of events one check may send (at least one event); the other hosts wait for the next check. */
  frameBudget?: () => number;
  /** Milliseconds to rest after a check that took `busyMs` (its writes included) and sent `frameBytes`. */
  restAfter?: (busyMs: number, frameBytes: number) => number;
}

export class LiveHub {
  private readonly listeners = new Set<FrameListener>();
  /** Hosts with changes not sent yet, in the order they first changed, with what listeners last heard of each. */
  private readonly pending = new Map<string, HostMark | undefined>();
  private nextId = 1;
  private unsubscribe: (() => void) | undefined;
  private checking = false;
  private resting: NodeJS.Timeout | undefined;
  private again = false;

  constructor(private readonly options: LiveHubOptions) {}

  /** Adds a listener; the hub starts with the first one and stops after the last. */
  subscribe(listener: FrameListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.unsubscribe = this.options.monitor.subscribe((change) => {
        if (!this.pending.has(change.alias)) this.pending.set(change.alias, change.before);
        this.check();
      });
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Stops and forgets every listener (server shutdown). */
  close(): void {
    this.listeners.clear();
    this.stop();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearTimeout(this.resting);
    this.resting = undefined;
    this.again = false;
    this.pending.clear();
  }

  /**
   * Sends the pending hosts at the next turn of the event loop (the reports
   * of one group commit resolve together and share the frame); changes that
   * come while a check runs or while the hub rests after one are folded into
   * a single follow-up.
   */
  private check(): void {
    if (this.checking || this.resting) {
      this.again = true;
      return;
    }
    this.checking = true;
    setImmediate(() => {
      const started = performance.now();
      let sent = 0;
      try {
        sent = this.send();
      } catch (err) {
        this.options.log?.warn({ err }, 'live events: check failed');
      }
      // A tick queued now runs after those queued while emitting, which is when node writes what
      // the listeners wrote to their (corked) sockets: that is part of what the check cost.
      process.nextTick(() => {
        this.checking = false;
        if (this.listeners.size === 0) return;
        this.resting = setTimeout(
          () => {
            this.resting = undefined;
            if (this.again && this.listeners.size > 0) {
              this.again = false;
              this.check();
            }
          },
          this.options.restAfter?.(performance.now() - started, sent) ?? 0,
        );
        this.resting.unref();
      });
    });
  }

  /** One check: sends pending hosts within the frame budget; returns the bytes of the frame sent. */
  private send(): number {
    if (this.listeners.size === 0) return 0;
    const budget = this.options.frameBudget?.() ?? Infinity;
    const frames: Buffer[] = [];
    let size = 0;
    for (const [alias, heard] of this.pending) {
      if (frames.length > 0 && size >= budget) {
        this.again = true;
        break;
      }
      this.pending.delete(alias);
      const frame = this.frame(alias, heard);
      if (!frame) continue;
      frames.push(frame);
      size += frame.length;
    }
    if (frames.length === 0) return 0;
    const frame = Buffer.concat(frames, size);
    this.emit(frame);
    return size;
  }

  /** The event that tells listeners who last heard `heard` of `alias` what holds now; undefined when nothing does. */
  private frame(alias: string, heard: HostMark | undefined): Buffer | undefined {
    const now = this.options.monitor.mark(alias);
    const kind = changeOf(heard, now);
    if (!kind) return undefined;
    if (kind === 'deleted') return sseFrame(this.nextId++, kind, JSON.stringify({ server_alias: alias }));
    if (kind === 'down') {
      return sseFrame(
        this.nextId++,
        kind,
        JSON.stringify({ server_alias: alias, received_at: new Date(now!.receivedAt).toISOString() }),
      );
    }
    const entry = this.options.fleet.statusEntry(alias, now!.up);
    return entry && sseFrame(this.nextId++, kind, entry);
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
