/**
 * The open /api/events streams of one server process. Their cost must not
 * grow faster than their number, or enough open dashboards (or one script)
 * starve report ingest:
 * - streams are admitted under two caps, in total and per client address;
 * - every stream gets the same bytes: the hub serializes each batch of
 *   events once, and one timer sends the keep-alive comment to all streams;
 * - a stream whose client stops reading is closed once the bytes waiting
 *   for its socket pass a limit, so it cannot make the server buffer without
 *   bound. Its client reconnects and refetches /api/status, as after any drop;
 * - each stream is a Readable that the route hands to Fastify (reply.send),
 *   so the reply leaves through Fastify's onSend hooks with every header
 *   they set, like any other answer;
 * - the hub is paced by what its frames cost across all streams (frameBudget,
 *   restAfter): under a flood of reports it sends each host's latest state
 *   less often instead of taking the process, the network and the kernel's
 *   socket memory from ingest.
 */
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** Limits on the live-event streams of one process. */
export interface EventStreamLimits {
  /** Streams open at once (EVENTS_MAX_STREAMS). */
  maxStreams: number;
  /** Streams open at once from one client address (EVENTS_MAX_STREAMS_PER_CLIENT). */
  maxStreamsPerClient: number;
  /** Bytes a stream may have waiting for its socket before it counts as stuck and is closed. */
  maxBufferedBytes: number;
}

/**
 * Defaults. 1,000 streams: each is an open dashboard tab, so this serves a
 * large team, and 1,500 streams were measured to leave report ingest more
 * than half its rate (test/server/live/events-load.test.ts). 20 per address:
 * one person's tabs and a wall display or two, while one runaway script
 * cannot take every slot. 1 MiB unsent is hundreds of events behind, more
 * than a refetch of /api/status costs the client.
 */
export const DEFAULT_EVENT_STREAM_LIMITS: Readonly<EventStreamLimits> = {
  maxStreams: 1000,
  maxStreamsPerClient: 20,
  maxBufferedBytes: 1024 * 1024,
};

/**
 * Bytes per second the streams may be sent in all. A 1,000-host fleet
 * reporting every 15 s to the default 1,000 streams needs about 170 MB/s
 * (more than a gigabit link carries); this leaves it room, and bounds what a
 * flood of reports can make the server send.
 */
const FANOUT_BYTES_PER_SECOND = 256 * 1024 * 1024;

/**
 * Bytes one check may write across all streams: without a bound, the check
 * after a burst of reports sends the whole fleet to every stream at once
 * (2 MB × 1,500 streams), filling the kernel's TCP memory, which stalls
 * every connection, agents' included.
 */
const CHECK_BYTES = 32 * 1024 * 1024;

/**
 * The hub rests this many times as long as a check took, so it spends at
 * most 1/7 of the process's time. At 9 it could not keep up with that
 * 1,000-host fleet and 1,000 streams on a 2-core machine (events 1.3 s late
 * instead of 0.15 s); at 4 the share left to ingest under a flood shrinks.
 */
const IDLE_PER_BUSY = 6;

/** The keep-alive comment that stops proxies from closing an idle stream. */
const PING = Buffer.from(': ping\n\n');

/** One open stream: the Readable Fastify sends, and the response it is piped into. */
interface Stream {
  out: Readable;
  res: ServerResponse;
  client: string;
}

export class EventStreams {
  private readonly streams = new Map<ServerResponse, Stream>();
  private readonly perClient = new Map<string, number>();
  private pingTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  /**
   * `source` is subscribed while any stream is open (the hub runs only then);
   * `onDrop` hears of each stream closed for falling behind.
   */
  constructor(
    private readonly limits: EventStreamLimits,
    private readonly pingMs: number,
    private readonly source: (send: (frame: Buffer) => void) => () => void,
    private readonly onDrop?: (client: string, bufferedBytes: number) => void,
  ) {}

  /** Open streams. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Bytes of events the hub may put in one frame now (its frameBudget): a
   * share of CHECK_BYTES, and a quarter of what a stream may have waiting, so
   * that a client is dropped only when it is several frames behind.
   */
  frameBudget(): number {
    return Math.min(CHECK_BYTES / Math.max(1, this.streams.size), this.limits.maxBufferedBytes / 4);
  }

  /** Milliseconds the hub rests after a check that took `busyMs` and sent a frame of `frameBytes` to every stream. */
  restAfter(busyMs: number, frameBytes: number): number {
    return Math.max(busyMs * IDLE_PER_BUSY, (frameBytes * this.streams.size * 1000) / FANOUT_BYTES_PER_SECOND);
  }

  /** Why a new stream from `client` is refused now, or undefined when it fits under both caps. */
  refusal(client: string): string | undefined {
    if (this.streams.size >= this.limits.maxStreams) {
      return `Too many live-event streams open (${this.limits.maxStreams}); retry later`;
    }
    if ((this.perClient.get(client) ?? 0) >= this.limits.maxStreamsPerClient) {
      return `Too many live-event streams open from ${client} (${this.limits.maxStreamsPerClient}); close some or retry later`;
    }
    return undefined;
  }

  /**
   * Opens a stream of `client` that starts with `first` and will be sent
   * through `res`; counted until `res` closes. The caller sends the Readable
   * returned (reply.send) or pipes it into `res`.
   */
  open(res: ServerResponse, client: string, first: Buffer): Readable {
    // Frames are pushed, never pulled: read() has nothing to do.
    const out = new Readable({ read() {} });
    out.push(first);
    this.streams.set(res, { out, res, client });
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    res.once('close', () => this.remove(res));
    if (this.streams.size === 1) {
      this.unsubscribe = this.source((frame) => this.broadcast(frame));
      this.pingTimer = setInterval(() => this.broadcast(PING), this.pingMs);
      this.pingTimer.unref();
    }
    return out;
  }

  /** Writes `frame` (the same bytes for all) to every stream, first closing those still too far behind. */
  private broadcast(frame: Buffer): void {
    for (const { out, res, client } of this.streams.values()) {
      // Judged on what earlier frames left waiting: a client a little behind catches up during the hub's rest.
      const waiting = out.readableLength + res.writableLength;
      if (waiting > this.limits.maxBufferedBytes) {
        this.onDrop?.(client, waiting);
        this.remove(res);
        res.destroy();
        continue;
      }
      out.push(frame);
    }
  }

  /** Ends every stream (server shutdown): streams never go idle, so the server would wait for them. */
  closeAll(): void {
    for (const { out, res } of [...this.streams.values()]) {
      this.remove(res);
      out.push(null);
    }
  }

  private remove(res: ServerResponse): void {
    const stream = this.streams.get(res);
    if (!stream) return;
    this.streams.delete(res);
    const left = (this.perClient.get(stream.client) ?? 1) - 1;
    if (left > 0) this.perClient.set(stream.client, left);
    else this.perClient.delete(stream.client);
    if (this.streams.size === 0) {
      clearInterval(this.pingTimer);
      this.unsubscribe?.();
      this.pingTimer = this.unsubscribe = undefined;
    }
  }
}
