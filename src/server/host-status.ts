/** A stored host as its /api/status entry (also the data of the `report` and `up` live events). */
import type { HostStatus } from '../contract/index.js';
import type { HostRecord } from '../store/store.js';

/** The /api/status entry of `record`, marked up or down as the caller decided (by the server's clock). */
export function hostStatusEntry(record: HostRecord, up: boolean): HostStatus {
  const r = record.report;
  const load = r.cpu.loadavg;
  const cpu: HostStatus['cpu'] = {
    percent: r.cpu.percent,
    // Both names: the original backend's clients read one_min, its later dashboards and ours read 1m.
    loadavg: { ...load, one_min: load['1m'], five_min: load['5m'], fifteen_min: load['15m'] },
  };
  if (r.cpu.per_core) cpu.per_core = r.cpu.per_core;
  return {
    server_alias: r.server_alias,
    status: up ? 'ok' : 'down',
    hostname: r.hostname,
    ip: r.ip,
    uptime_seconds: r.uptime_seconds,
    cpu,
    memory: r.memory,
    disks: r.disks,
    users: r.users,
    gpus: r.gpus,
    timestamp: r.timestamp,
    os: r.os,
    machine_type: r.machine_type,
    group: r.group,
    labels: r.labels,
    received_at: new Date(record.receivedAt).toISOString(),
    container_count: r.containers.length,
    agent_version: r.agent_version ?? null,
    protocol_version: r.protocol_version ?? null,
  };
}
