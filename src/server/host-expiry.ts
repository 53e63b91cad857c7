/**
 * HOST_EXPIRE_DAYS: a host silent (by the server's clock) for that long is
 * removed as DELETE /api/server/{alias} removes it, history and all, so a
 * retired machine leaves the fleet by itself. Every server process looks
 * once at start and then every EXPIRY_CHECK_MS; the store's write lets only
 * one of them remove each host, and that one logs it and tells the fleet
 * monitor (the others see it go at their next catch-up).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/store.js';
import type { FleetEvents } from './fleet-events.js';

/** How often a server process looks for hosts to expire, ms. */
export const EXPIRY_CHECK_MS = 10 * 60_000;

/** Hosts removed per write: bounds how long one write holds the database while a whole fleet expires. */
const EXPIRY_BATCH = 100;

const DAY_MS = 86_400_000;

/** What host expiry needs. */
export interface HostExpiryOptions {
  store: Store;
  /** Where the removals are published, as the DELETE route publishes them. */
  events: FleetEvents;
  log: FastifyBaseLogger;
  /** Milliseconds since epoch. */
  now: () => number;
  /** HOST_EXPIRE_DAYS. */
  expireDays: number;
}

/** Removes hosts silent for longer than HOST_EXPIRE_DAYS: once at start, then on a timer. */
export class HostExpiry {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<number> | undefined;

  constructor(private readonly options: HostExpiryOptions) {}

  /** Looks now and then every EXPIRY_CHECK_MS; the timer does not keep the process alive. */
  start(): void {
    const look = () => {
      this.run().catch((err: unknown) => this.options.log.error({ err }, 'host expiry failed; it runs again later'));
    };
    look();
    this.timer = setInterval(look, EXPIRY_CHECK_MS).unref();
  }

  /** Removes every host silent for longer than HOST_EXPIRE_DAYS as of now; resolves with how many. Overlapping calls share one pass. */
  run(): Promise<number> {
    this.pass ??= this.expireAll().finally(() => {
      this.pass = undefined;
    });
    return this.pass;
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pass?.catch(() => {});
  }

  private async expireAll(): Promise<number> {
    const { store, events, log, now, expireDays } = this.options;
    let removed = 0;
    for (;;) {
      const hosts = await store.expireHosts(now() - expireDays * DAY_MS, EXPIRY_BATCH);
      for (const host of hosts) {
        log.info(
          { alias: host.alias, lastReportAt: new Date(host.receivedAt).toISOString(), expireDays },
          'host expired: no report for longer than HOST_EXPIRE_DAYS; removed with its history',
        );
        events.publish({ type: 'deleted', alias: host.alias });
      }
      removed += hosts.length;
      if (hosts.length < EXPIRY_BATCH) return removed;
    }
  }
}
