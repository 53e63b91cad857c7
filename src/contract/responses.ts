/**
 * Every response body, in the envelopes the original dashboard reads
 * (`results`, `machines`, `hosts`, a bare list) plus FastAPI's `{detail}`.
 */
import { Type, type Static } from 'typebox';
import { Container, Cpu, Disk, Gpu, Memory, User } from './report.js';

export const HealthResponse = Type.Object({
  service: Type.Literal('Server Monitoring API'),
  status: Type.Literal('online'),
  servers_monitored: Type.Integer(),
  timestamp: Type.String({ description: 'Server time, ISO 8601 UTC' }),
});

export const ReportAccepted = Type.Object({
  status: Type.Literal('ok'),
  server_alias: Type.String(),
  received_at: Type.String(),
});

export const HostStatus = Type.Object({
  server_alias: Type.String(),
  status: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
  hostname: Type.String(),
  ip: Type.String(),
  uptime_seconds: Type.Integer(),
  cpu: Cpu,
  memory: Memory,
  disks: Type.Array(Disk),
  users: Type.Array(User),
  gpus: Type.Array(Gpu),
  timestamp: Type.String({ description: "The agent's own timestamp, as sent" }),
  os: Type.String(),
  machine_type: Type.String(),
  group: Type.String(),
  labels: Type.Array(Type.String()),
  received_at: Type.String({ description: 'When the server last received a report from this host' }),
  container_count: Type.Integer(),
});
export type HostStatus = Static<typeof HostStatus>;

export const StatusResponse = Type.Object({ results: Type.Array(HostStatus) });

export const Machine = Type.Object({
  id: Type.String(),
  alias: Type.String(),
  type: Type.String(),
  group: Type.String(),
  parent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.String(),
  os: Type.String(),
  labels: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
});
export type Machine = Static<typeof Machine>;
export const MachinesResponse = Type.Object({ machines: Type.Array(Machine) });

export const HostSummary = Type.Object({
  alias: Type.String(),
  hostname: Type.String(),
  ip: Type.String(),
  status: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
});
export const HostsResponse = Type.Object({ hosts: Type.Array(HostSummary) });

export const ContainersResponse = Type.Array(Container);

export const ServerRemoved = Type.Object({
  status: Type.Literal('ok'),
  message: Type.String(),
});

export const ValidationIssue = Type.Object({
  loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
  msg: Type.String(),
  type: Type.String(),
});

/** FastAPI's error shape: a message, or one entry per validation problem. */
export const ErrorResponse = Type.Object({
  detail: Type.Union([Type.String(), Type.Array(ValidationIssue)]),
});

export const AliasParams = Type.Object({
  alias: Type.String({ minLength: 1, maxLength: 255 }),
});
export const HostParams = Type.Object({
  host: Type.String({ minLength: 1, maxLength: 255 }),
});
