/**
 * Every response body, in the envelopes the original dashboard reads
 * (`results`, `machines`, `hosts`, a bare list) plus FastAPI's `{detail}`.
 * These are output shapes: every field is present, unlike the lenient input.
 */
import { Type, type Static } from 'typebox';
import { IGNORED_LIMITS } from './ignored-fields.js';
import { NormalizedContainer, NormalizedCpu, NormalizedGpu } from './normalized.js';
import { Disk, LoadAvg, Memory, User } from './report.js';

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
  ignored: Type.Optional(
    Type.Array(Type.String({ maxLength: IGNORED_LIMITS.entryLength }), {
      maxItems: IGNORED_LIMITS.paths + 2,
      description:
        'Present when something was ignored: the unknown fields by path (`grop`, `gpus[0].utilisation`; ' +
        `at most ${IGNORED_LIMITS.paths}, then how many more), and a note when \`timestamp\` was not a date and the receive time was stored`,
    }),
  ),
});
export type ReportAccepted = Static<typeof ReportAccepted>;

/**
 * Load averages under both names: `1m`/`5m`/`15m`, and `one_min`/`five_min`/
 * `fifteen_min` as the original backend answered (pydantic's field names), so
 * clients written for either keep working.
 */
export const StatusLoadAvg = Type.Object(Type.Required(LoadAvg).properties, { additionalProperties: false });
export type StatusLoadAvg = Static<typeof StatusLoadAvg>;

export const StatusCpu = Type.Object(
  { ...NormalizedCpu.properties, loadavg: StatusLoadAvg },
  { additionalProperties: false },
);

/** One host's entry in /api/status (and the data of the `report` and `up` events). */
export const HostStatus = Type.Object({
  server_alias: Type.String(),
  status: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
  hostname: Type.String(),
  ip: Type.String(),
  uptime_seconds: Type.Integer(),
  cpu: StatusCpu,
  memory: Memory,
  disks: Type.Array(Disk),
  users: Type.Array(User),
  gpus: Type.Array(NormalizedGpu),
  timestamp: Type.String({ description: "The agent's own timestamp, as sent" }),
  os: Type.String(),
  machine_type: Type.String(),
  group: Type.String(),
  labels: Type.Array(Type.String()),
  received_at: Type.String({ description: 'When the server last received a report from this host' }),
  container_count: Type.Integer(),
  agent_version: Type.Union([Type.String(), Type.Null()], {
    description: "The Fleetwatch agent's version; null for the original agent",
  }),
  protocol_version: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The protocol the agent speaks; null for the original agent (protocol 1)',
  }),
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

export const ContainersResponse = Type.Array(NormalizedContainer);

export const ServerRemoved = Type.Object({
  status: Type.Literal('ok'),
  message: Type.String(),
});

/** GET /api/auth/check: the request carried the API key. */
export const KeyAccepted = Type.Object({
  status: Type.Literal('ok'),
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
