/**
 * Read models for the dashboard routes (/api/status, /api/machines,
 * /api/hosts), serialized once and served from cache until the data changes
 * (any process's commit, seen through Store.changeToken) or a host crosses the
 * stale threshold. Up or down is always decided by the server's clock.
 */
import type { HostStatus, Machine } from '../contract/index.js';
import type { HostRecord, Store } from '../store/store.js';

/** Bodies are kept as UTF-8 bytes so a poll sends them without encoding megabytes again. */
interface Cached { token: string; validUntil: number; body: Buffer }

export class FleetView {
  private hosts: { token: string; records: HostRecord[] } | undefined;
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly store: Store,
    private readonly staleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when a report received at `receivedAt` is recent enough for the host to count as up. */
  isUp(receivedAt: number, at = this.now()): boolean {
    return at - receivedAt <= this.staleMs;
  }

  /** `{"results": [...]}` as UTF-8 JSON. */
  statusJson(): Promise<Buffer> {
    return this.cached('status', (records, at) =>
      JSON.stringify({ results: records.map((r) => this.hostStatus(r, at)) }));
  }

  /** `{"machines": [...]}` as UTF-8 JSON: hosts, then each host's containers. */
  machinesJson(): Promise<Buffer> {
    return this.cached('machines', (records, at) =>
      JSON.stringify({ machines: records.flatMap((r) => this.machines(r, at)) }));
  }

  /** `{"hosts": [...]}` as UTF-8 JSON: only machines of type "host". */
  hostsJson(): Promise<Buffer> {
    return this.cached('hosts', (records, at) => JSON.stringify({
      hosts: records.filter((r) => r.report.machine_type === 'host').map((r) => ({
        alias: r.alias, hostname: r.report.hostname, ip: r.report.ip,
        status: this.isUp(r.receivedAt, at) ? 'online' : 'offline',
      })),
    }));
  }

  /** Every host record, from cache while nothing has changed. */
  async records(): Promise<HostRecord[]> {
    const token = await this.store.changeToken();
    if (this.hosts?.token !== token) this.hosts = { token, records: await this.store.listHosts() };
    return this.hosts.records;
  }

  hostStatus(record: HostRecord, at = this.now()): HostStatus {
    const r = record.report;
    return {
      server_alias: r.server_alias,
      status: this.isUp(record.receivedAt, at) ? 'ok' : 'down',
      hostname: r.hostname, ip: r.ip, uptime_seconds: r.uptime_seconds,
      cpu: r.cpu, memory: r.memory, disks: r.disks, users: r.users, gpus: r.gpus,
      timestamp: r.timestamp, os: r.os, machine_type: r.machine_type, group: r.group, labels: r.labels,
      received_at: new Date(record.receivedAt).toISOString(),
      container_count: r.containers.length,
    };
  }

  private machines(record: HostRecord, at: number): Machine[] {
    const r = record.report;
    const host: Machine = {
      id: r.server_alias, alias: r.server_alias, type: r.machine_type, group: r.group, parent: null,
      ip: r.ip, os: r.os, labels: r.labels, status: this.isUp(record.receivedAt, at) ? 'online' : 'offline',
    };
    return [host, ...r.containers.map((c): Machine => ({
      id: `${r.server_alias}-${c.name}`, alias: c.name, type: 'container', group: r.group, parent: r.server_alias,
      ip: r.ip, os: c.image, labels: ['container', c.state], status: c.state === 'running' ? 'online' : 'offline',
    }))];
  }

  /**
   * Serves `kind` from cache while the store is unchanged and no host has
   * crossed the threshold since it was built.
   */
  private async cached(kind: string, build: (records: HostRecord[], at: number) => string): Promise<Buffer> {
    const at = this.now();
    const records = await this.records();
    const token = this.hosts!.token;
    const hit = this.cache.get(kind);
    if (hit && hit.token === token && at < hit.validUntil) return hit.body;
    const body = Buffer.from(build(records, at));
    this.cache.set(kind, { token, validUntil: this.nextFlip(records, at), body });
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
