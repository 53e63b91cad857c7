/**
 * Read models for the dashboard routes (/api/status, /api/machines,
 * /api/hosts), serialized once and served from cache until the data changes
 * (any process's commit that changed a host, seen through Store.changeToken
 * and the hosts' versions) or a host crosses the stale threshold. Up or down
 * is always decided by the server's clock.
 *
 * Rebuilding is incremental: only hosts whose (receivedAt, reportTime)
 * changed are read and parsed again, and each host's JSON fragment is kept
 * per up/down state, so a rebuild under steady ingest mostly joins strings.
 */
import type { HostStatus, Machine } from '../contract/index.js';
import { isHostUp } from '../domain/host.js';
import type { HostRecord, Store } from '../store/store.js';
import { hostStatusEntry } from './host-status.js';

/** Bodies are kept as UTF-8 bytes so a poll sends them without encoding megabytes again. */
interface Cached { records: HostRecord[]; validUntil: number; body: Buffer }

type View = 'status' | 'machines' | 'hosts';

export class FleetView {
  private hosts: { token: string; records: HostRecord[] } | undefined;
  private readonly cache = new Map<View, Cached>();
  /** JSON fragments per record object, keyed by view and up/down; dropped with the record. */
  private readonly fragments = new WeakMap<HostRecord, Map<string, string>>();

  constructor(
    private readonly store: Store,
    private readonly staleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when a report received at `receivedAt` is recent enough for the host to count as up. */
  isUp(receivedAt: number, at = this.now()): boolean {
    return isHostUp(receivedAt, at, this.staleMs);
  }

  /** `{"results": [...]}` as UTF-8 JSON. */
  statusJson(): Promise<Buffer> {
    return this.cached('status', 'results', (r, up) => JSON.stringify(this.hostStatus(r, up)));
  }

  /** `{"machines": [...]}` as UTF-8 JSON: hosts, then each host's containers. */
  machinesJson(): Promise<Buffer> {
    return this.cached('machines', 'machines', (r, up) => this.machines(r, up).map((m) => JSON.stringify(m)).join(','));
  }

  /** `{"hosts": [...]}` as UTF-8 JSON: only machines of type "host". */
  hostsJson(): Promise<Buffer> {
    return this.cached('hosts', 'hosts', (r, up) => r.report.machine_type !== 'host' ? '' : JSON.stringify({
      alias: r.alias, hostname: r.report.hostname, ip: r.report.ip, status: up ? 'online' : 'offline',
    }));
  }

  /**
   * Every host record, re-reading (in one batch) only the hosts whose version
   * changed since the last call: the Store guarantees that an unchanged
   * version means unchanged content.
   */
  async records(): Promise<HostRecord[]> {
    const token = await this.store.changeToken();
    if (this.hosts?.token === token) return this.hosts.records;
    const before = this.hosts?.records ?? [];
    const previous = new Map(before.map((r) => [r.alias, r]));
    const versions = await this.store.listHostVersions();
    const changed = new Set(versions.filter((v) => {
      const known = previous.get(v.alias);
      return !known || known.receivedAt !== v.receivedAt || known.reportTime !== v.reportTime;
    }).map((v) => v.alias));
    const fresh = new Map((await this.store.getHosts([...changed])).map((r) => [r.alias, r]));
    const records: HostRecord[] = [];
    for (const { alias } of versions) {
      // A changed host missing from the batch was deleted meanwhile.
      const record = changed.has(alias) ? fresh.get(alias) : previous.get(alias);
      if (record) records.push(record);
    }
    // A token that moved while every host stayed as it was (a deletion of an unknown alias, say) keeps the same
    // array, and with it the serialized views built from it.
    const same = this.hosts !== undefined && changed.size === 0 && records.length === before.length
      && records.every((r, i) => before[i] === r);
    this.hosts = { token, records: same ? before : records };
    return this.hosts.records;
  }

  /** The /api/status entry of a host; `up` defaults to its state now. */
  hostStatus(record: HostRecord, up = this.isUp(record.receivedAt)): HostStatus {
    return hostStatusEntry(record, up);
  }

  private machines(record: HostRecord, up: boolean): Machine[] {
    const r = record.report;
    const host: Machine = {
      id: r.server_alias, alias: r.server_alias, type: r.machine_type, group: r.group, parent: null,
      ip: r.ip, os: r.os, labels: r.labels, status: up ? 'online' : 'offline',
    };
    return [host, ...r.containers.map((c): Machine => ({
      id: `${r.server_alias}-${c.name}`, alias: c.name, type: 'container', group: r.group, parent: r.server_alias,
      ip: r.ip, os: c.image, labels: ['container', c.state], status: c.state === 'running' ? 'online' : 'offline',
    }))];
  }

  /**
   * Serves `view` from cache while the store is unchanged and no host has
   * crossed the threshold since it was built; otherwise joins the hosts'
   * fragments (each built once per record and up/down state).
   */
  private async cached(view: View, envelope: string, fragment: (r: HostRecord, up: boolean) => string): Promise<Buffer> {
    const at = this.now();
    const records = await this.records();
    const hit = this.cache.get(view);
    if (hit && hit.records === records && at < hit.validUntil) return hit.body;
    const parts: string[] = [];
    for (const record of records) {
      const up = this.isUp(record.receivedAt, at);
      let perRecord = this.fragments.get(record);
      if (!perRecord) this.fragments.set(record, perRecord = new Map());
      const key = `${view}:${up}`;
      let text = perRecord.get(key);
      if (text === undefined) perRecord.set(key, text = fragment(record, up));
      if (text !== '') parts.push(text);
    }
    const body = Buffer.from(`{"${envelope}":[${parts.join(',')}]}`);
    this.cache.set(view, { records, validUntil: this.nextFlip(records, at), body });
    return body;
  }

  /** The next instant any host turns down (or +∞); the cache must be rebuilt then. */
  private nextFlip(records: HostRecord[], at: number): number {
    let next = Infinity;
    for (const r of records) {
      const flip = r.receivedAt + this.staleMs + 1;
      if (flip > at && flip < next) next = flip;
    }
    return next;
  }
}
