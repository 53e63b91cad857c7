/**
 * The read model behind the dashboard routes (/api/status, /api/machines,
 * /api/hosts): every host's version and serialized entries, kept current by
 * the fleet monitor (fleet-monitor.ts) from ingest, other processes' commits
 * and the clock, never by re-reading the fleet. Each host's JSON entry of a
 * view is made once per version of the host and up/down state, so a poll
 * only joins bytes; the joined body is kept until a host changes or crosses
 * the stale threshold. Up or down is always decided by the server's clock
 * at read time.
 *
 * A host's status entry is made as its report arrives (the live events send
 * it too); its machines and hosts entries are, while those views are being
 * read (a read in the last EAGER_MS). Otherwise a dashboard polling a
 * 10,000-host fleet every 5 s would have each poll serialize the thousands
 * of hosts that reported since the last one, on the event loop, with
 * reports waiting behind it. A body is kept as its pieces and sent in slabs
 * made as they are first sent (joined-json.ts), never as one buffer.
 *
 * A host holds bytes, not its parsed report: a report kept for the ten
 * seconds until its host's next one outlives the young generation, and at
 * 1,000 reports/s copying those survivors made the garbage collector's
 * pauses the reports' p99 (270 ms on a 2-core machine, against 90 ms
 * without). An entry not made on arrival (a host that turned down, a view
 * not read lately) is made from the store, in one getHosts for the poll.
 */
import type { HostStatus, Machine } from '../contract/index.js';
import { hostDownAt, isHostUp } from '../domain/host.js';
import type { HostRecord, Store } from '../store/store.js';
import { hostStatusEntry } from './host-status.js';
import { JoinedJson } from './joined-json.js';

/** How long after a read of a view its entries keep being made eagerly, ms. */
const EAGER_MS = 60_000;

const VIEWS = ['status', 'machines', 'hosts'] as const;
type View = (typeof VIEWS)[number];
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');
const OPEN: Record<View, Buffer> = {
  status: Buffer.from('{"results":['),
  machines: Buffer.from('{"machines":['),
  hosts: Buffer.from('{"hosts":['),
};

/** A host's version and its serialized entries, one slot per view and up/down state (see slot()). */
interface Entry {
  alias: string;
  receivedAt: number;
  json: (Buffer | undefined)[];
}

const slot = (view: View, up: boolean): number => VIEWS.indexOf(view) * 2 + (up ? 1 : 0);

/** What the read model needs from the app. */
export interface FleetViewOptions {
  /** Where entries not made on arrival are made from. */
  store: Store;
  /** STALE_THRESHOLD_SECONDS in ms: a host is up while its last report is at most this old. */
  staleMs: number;
  now: () => number;
  /** Brings the model up to date with every commit made so far, by any process (FleetMonitor.catchUp). */
  catchUp: () => Promise<void>;
}

export class FleetView {
  /** Hosts in first-report order. */
  private readonly entries = new Map<string, Entry>();
  /** Moves on every change to the entries: a cached body is valid for one generation. */
  private generation = 0;
  private readonly bodies = new Map<View, { generation: number; validUntil: number; body: JoinedJson }>();
  private readonly lastRead = new Map<View, number>();

  constructor(private readonly options: FleetViewOptions) {}

  /** True when a report received at `receivedAt` is recent enough for the host to count as up. */
  isUp(receivedAt: number, at = this.options.now()): boolean {
    return isHostUp(receivedAt, at, this.options.staleMs);
  }

  /** `{"results": [...]}` as UTF-8 JSON, in pieces (send with sendSerialized). */
  async statusJson(): Promise<JoinedJson> {
    await this.options.catchUp();
    return this.body('status');
  }

  /** `{"machines": [...]}` as UTF-8 JSON pieces: hosts, then each host's containers. */
  async machinesJson(): Promise<JoinedJson> {
    await this.options.catchUp();
    return this.body('machines');
  }

  /** `{"hosts": [...]}` as UTF-8 JSON pieces: only machines of type "host". */
  async hostsJson(): Promise<JoinedJson> {
    await this.options.catchUp();
    return this.body('hosts');
  }

  /** Every host record, in first-report order, as of every commit made so far (read from the store: not for hot paths). */
  async records(): Promise<HostRecord[]> {
    await this.options.catchUp();
    return this.options.store.getHosts([...this.entries.keys()]);
  }

  /** The version (receivedAt) of a host the model holds, without catching up first. */
  receivedAt(alias: string): number | undefined {
    return this.entries.get(alias)?.receivedAt;
  }

  /** Replaces (or adds, last) a host's record; only the fleet monitor calls this. */
  put(record: HostRecord): void {
    const entry: Entry = { alias: record.alias, receivedAt: record.receivedAt, json: [] };
    // A known host keeps its place (Map order is first insertion).
    this.entries.set(record.alias, entry);
    this.generation++;
    const at = this.options.now();
    const up = this.isUp(record.receivedAt, at);
    for (const view of VIEWS) {
      if (view === 'status' || at - (this.lastRead.get(view) ?? -Infinity) <= EAGER_MS)
        this.fragment(entry, view, up, record);
    }
  }

  /** Forgets a host; false when it was not known. */
  remove(alias: string): boolean {
    if (!this.entries.delete(alias)) return false;
    this.generation++;
    return true;
  }

  /** Puts the hosts in the order of `aliases` (the store's first-report order); hosts not named keep their order, after them. */
  order(aliases: readonly string[]): void {
    const ordered = new Map<string, Entry>();
    for (const alias of aliases) {
      const entry = this.entries.get(alias);
      if (entry) ordered.set(alias, entry);
    }
    for (const [alias, entry] of this.entries) if (!ordered.has(alias)) ordered.set(alias, entry);
    this.entries.clear();
    for (const [alias, entry] of ordered) this.entries.set(alias, entry);
    this.generation++;
  }

  /** A host's /api/status entry as JSON (shared with the status body), or undefined when not made (yet) for that state. */
  statusEntry(alias: string, up: boolean): Buffer | undefined {
    return this.entries.get(alias)?.json[slot('status', up)];
  }

  /** The /api/status entry of a host; `up` defaults to its state now. */
  hostStatus(record: HostRecord, up = this.isUp(record.receivedAt)): HostStatus {
    return hostStatusEntry(record, up);
  }

  private machines(record: HostRecord, up: boolean): Machine[] {
    const r = record.report;
    const host: Machine = {
      id: r.server_alias,
      alias: r.server_alias,
      type: r.machine_type,
      group: r.group,
      parent: null,
      ip: r.ip,
      os: r.os,
      labels: r.labels,
      status: up ? 'online' : 'offline',
    };
    return [
      host,
      ...r.containers.map((c): Machine => ({
        id: `${r.server_alias}-${c.name}`,
        alias: c.name,
        type: 'container',
        group: r.group,
        parent: r.server_alias,
        ip: r.ip,
        os: c.image,
        labels: ['container', c.state],
        status: c.state === 'running' ? 'online' : 'offline',
      })),
    ];
  }

  /** Makes (and keeps) the entry's JSON for `view` in state `up` from `record`; empty for a host the view leaves out. */
  private fragment(entry: Entry, view: View, up: boolean, record: HostRecord): Buffer {
    const text =
      view === 'status'
        ? JSON.stringify(this.hostStatus(record, up))
        : view === 'machines'
          ? this.machines(record, up)
              .map((m) => JSON.stringify(m))
              .join(',')
          : record.report.machine_type !== 'host'
            ? ''
            : JSON.stringify({
                alias: record.alias,
                hostname: record.report.hostname,
                ip: record.report.ip,
                status: up ? 'online' : 'offline',
              });
    const json = Buffer.from(text);
    // Only for the version it was made from: a newer one may have arrived while the store was read.
    if (record.receivedAt === entry.receivedAt) entry.json[slot(view, up)] = json;
    return json;
  }

  /**
   * The body of `view`: the cached one while no host changed and none has
   * crossed the threshold since it was joined; otherwise the hosts' entries,
   * joined again, those missing first made from the store in one read.
   */
  private async body(view: View): Promise<JoinedJson> {
    const at = this.options.now();
    this.lastRead.set(view, at);
    const hit = this.bodies.get(view);
    if (hit && hit.generation === this.generation && at < hit.validUntil) return hit.body;
    const generation = this.generation;
    const missing = [...this.entries.values()]
      .filter((e) => !e.json[slot(view, this.isUp(e.receivedAt, at))])
      .map((e) => e.alias);
    const read = new Map(
      missing.length > 0 ? (await this.options.store.getHosts(missing)).map((r) => [r.alias, r]) : [],
    );
    const parts: Buffer[] = [OPEN[view]];
    let length = OPEN[view].length + CLOSE.length;
    let validUntil = Infinity;
    for (const entry of this.entries.values()) {
      const up = this.isUp(entry.receivedAt, at);
      const record = read.get(entry.alias);
      const json = entry.json[slot(view, up)] ?? (record && this.fragment(entry, view, up, record));
      if (!json) continue; // deleted from the store while it was read; the monitor will hear of it
      // The next instant a host turns down; the body must be joined again then.
      if (up) validUntil = Math.min(validUntil, hostDownAt(entry.receivedAt, this.options.staleMs));
      if (json.length === 0) continue;
      if (parts.length > 1) {
        parts.push(COMMA);
        length += COMMA.length;
      }
      parts.push(json);
      length += json.length;
    }
    parts.push(CLOSE);
    const body = new JoinedJson(parts, length);
    // A body joined across a store read that other changes overtook is served once, not kept.
    if (generation === this.generation) this.bodies.set(view, { generation, validUntil, body });
    return body;
  }
}
