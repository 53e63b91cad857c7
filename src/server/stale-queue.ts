/**
 * The hosts that are up, in the order they will cross the stale threshold:
 * one entry per report, by receive time. Reports arrive (nearly) in receive
 * order, so an entry is put in place from the tail in a step or two, and
 * the next host to go down is always at the head. A host that reports again
 * leaves its old entry behind; entries whose host has moved on are skipped
 * when they come up, and swept out once they outnumber the live ones, so
 * the queue holds at most about two entries per host.
 */
import { hostDownAt } from '../domain/host.js';

/** One report's place in the queue. */
interface Due {
  alias: string;
  receivedAt: number;
}

export class StaleQueue {
  private items: Due[] = [];
  private head = 0;

  /** Entries held, superseded ones included. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** The earliest receive time queued, or undefined when empty. */
  peek(): number | undefined {
    return this.items[this.head]?.receivedAt;
  }

  /**
   * Queues `alias`'s report received at `receivedAt`. `current` tells
   * whether an entry still stands for its host's latest report; when more
   * than half of the entries no longer do (or `hosts` is small), they are
   * swept out.
   */
  push(
    alias: string,
    receivedAt: number,
    hosts: number,
    current: (alias: string, receivedAt: number) => boolean,
  ): void {
    let at = this.items.length;
    while (at > this.head && this.items[at - 1]!.receivedAt > receivedAt) at--;
    if (at === this.items.length) this.items.push({ alias, receivedAt });
    else this.items.splice(at, 0, { alias, receivedAt });
    if (this.length > 2 * hosts + 16) {
      this.items = this.items.slice(this.head).filter((d) => current(d.alias, d.receivedAt));
      this.head = 0;
    }
  }

  /** Drops entries from the head while `superseded` holds for them. */
  skipWhile(superseded: (alias: string, receivedAt: number) => boolean): void {
    while (this.head < this.items.length && superseded(this.items[this.head]!.alias, this.items[this.head]!.receivedAt))
      this.head++;
    this.compactHead();
  }

  /** Removes and returns every entry received at or before `until`, oldest first. */
  takeUntil(until: number): Due[] {
    const taken: Due[] = [];
    while (this.head < this.items.length && this.items[this.head]!.receivedAt <= until)
      taken.push(this.items[this.head++]!);
    this.compactHead();
    return taken;
  }

  /** Lets go of the taken entries once they are most of the array. */
  private compactHead(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/** What a StaleWatch needs to know about the hosts. */
export interface StaleWatchOptions {
  /** STALE_THRESHOLD_SECONDS in ms. */
  staleMs: number;
  now: () => number;
  /** True while the report of `alias` received at `receivedAt` is its latest and the host counts as up. */
  stillUp: (alias: string, receivedAt: number) => boolean;
  /** Hears each host whose latest report has crossed the threshold, once. */
  onDown: (alias: string, receivedAt: number) => void;
}

/** A StaleQueue with one timer, set for the next host that is up to cross the threshold. */
export class StaleWatch {
  private readonly queue = new StaleQueue();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(private readonly options: StaleWatchOptions) {}

  /** Watches the report of `alias` received at `receivedAt`; `hosts` is how many hosts are known. */
  add(alias: string, receivedAt: number, hosts: number): void {
    this.queue.push(alias, receivedAt, hosts, this.options.stillUp);
    this.arm();
  }

  /** Says `down` for every host that has crossed the threshold by now, then waits for the next one. */
  expire(): void {
    const { now, staleMs, stillUp, onDown } = this.options;
    for (const due of this.queue.takeUntil(now() - staleMs - 1)) {
      if (stillUp(due.alias, due.receivedAt)) onDown(due.alias, due.receivedAt);
    }
    this.arm();
  }

  /** Stops the timer. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private arm(): void {
    this.queue.skipWhile((alias, receivedAt) => !this.options.stillUp(alias, receivedAt));
    const next = this.queue.peek();
    const at = next === undefined ? Infinity : hostDownAt(next, this.options.staleMs);
    if (at === this.timerAt) return;
    this.close();
    if (at === Infinity) return;
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timerAt = Infinity;
        this.expire();
      },
      Math.max(0, at - this.options.now()),
    );
    this.timer.unref();
  }
}
