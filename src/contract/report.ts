/**
 * The report an agent POSTs to /api/report. Every field the original bash
 * agent sends is accepted with its real-world quirks (non-ISO times, "(ip)"
 * hosts, `one_min` load keys, nulls where nvidia-smi prints N/A). Fields added
 * by Fleetwatch are optional so older agents keep working (protocol.ts).
 * No object sets `additionalProperties: false`: unknown fields are accepted
 * and dropped before the handler (ajv-options.ts), and the document says so.
 */
import { Type, type Static } from 'typebox';
import { AGENT_TIME_FORMS } from './agent-time.js';
import { LIMITS } from './limits.js';

const Str = (maxLength: number = LIMITS.shortString) => Type.String({ maxLength });
const Percent = Type.Number({ minimum: 0, maximum: LIMITS.maxPercent });
const Size = Type.Number({ minimum: 0, maximum: LIMITS.maxSize });
const IntSize = Type.Integer({ minimum: 0, maximum: LIMITS.maxSize });
const Load = Type.Number({ minimum: 0, maximum: LIMITS.maxLoad });
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) =>
  Type.Optional(Type.Union([t, Type.Null()], { default: null }));

export const LoadAvg = Type.Object({
  '1m': Type.Optional(Load),
  '5m': Type.Optional(Load),
  '15m': Type.Optional(Load),
  one_min: Type.Optional(Load),
  five_min: Type.Optional(Load),
  fifteen_min: Type.Optional(Load),
});

export const Cpu = Type.Object({
  percent: Percent,
  loadavg: LoadAvg,
  /** Fleetwatch agent: per-core busy percent. */
  per_core: Type.Optional(Type.Array(Percent, { maxItems: 4096 })),
});

export const Memory = Type.Object({
  total_gb: Size,
  used_gb: Size,
  percent: Percent,
});

export const Disk = Type.Object({
  mountpoint: Str(LIMITS.longString),
  fstype: Str(),
  free_gb: Size,
  total_gb: Size,
  percent: Percent,
  /** Fleetwatch agent: used space; the original only sent free and total. */
  used_gb: Type.Optional(Size),
});

export const User = Type.Object({
  name: Str(),
  tty: Str(),
  host: Str(),
  started: Str(64),
});

export const GpuProcess = Type.Object({
  pid: Type.Integer({ minimum: 0, maximum: 2 ** 32 }),
  username: Str(),
  cmd: Str(LIMITS.longString),
  /** Null where the driver cannot tell (Windows WDDM, some MIG setups). */
  used_memory_mb: Type.Union([IntSize, Type.Null()]),
  type: Type.Optional(Type.Union([Str(16), Type.Null()], { default: null })),
  /** Fleetwatch agent: container id or name when the process runs in one. */
  container: Type.Optional(Type.Union([Str(), Type.Null()], { default: null })),
});

export const Gpu = Type.Object({
  index: Type.Integer({ minimum: 0, maximum: 4096 }),
  name: Str(),
  utilization_pct: Percent,
  memory_used_mb: IntSize,
  memory_total_mb: IntSize,
  temperature_celsius: Nullable(Type.Number({ minimum: -100, maximum: 1000 })),
  fan_speed_pct: Nullable(Type.Number({ minimum: 0, maximum: 1000 })),
  power_draw_watts: Nullable(Type.Number({ minimum: 0, maximum: 100_000 })),
  /** Fleetwatch agent fields. */
  uuid: Type.Optional(Type.Union([Str(), Type.Null()], { default: null })),
  power_limit_watts: Nullable(Type.Number({ minimum: 0, maximum: 100_000 })),
  processes: Type.Optional(Type.Array(GpuProcess, { maxItems: LIMITS.maxProcessesPerGpu, default: [] })),
});

export const Container = Type.Object({
  id: Str(),
  name: Str(),
  image: Str(LIMITS.longString),
  state: Str(64),
  created: Str(64),
  ports: Type.Optional(Type.String({ maxLength: LIMITS.longString, default: '' })),
  cpu_pct: Type.Optional(Type.Number({ minimum: 0, maximum: LIMITS.maxContainerCpuPercent, default: 0 })),
  mem_mb: Type.Optional(Type.Number({ minimum: 0, maximum: LIMITS.maxSize, default: 0 })),
});

export const Report = Type.Object(
  {
    server_alias: Type.String({
      minLength: 1,
      maxLength: LIMITS.aliasMaxLength,
      description: "The host's key: any text but '.' and '..', well-formed Unicode",
    }),
    hostname: Str(),
    ip: Str(),
    uptime_seconds: Type.Integer({ minimum: 0, maximum: LIMITS.maxUptimeSeconds }),
    cpu: Cpu,
    memory: Memory,
    disks: Type.Array(Disk, { maxItems: LIMITS.maxDisks }),
    users: Type.Array(User, { maxItems: LIMITS.maxUsers }),
    gpus: Type.Optional(Type.Array(Gpu, { maxItems: LIMITS.maxGpus, default: [] })),
    containers: Type.Optional(Type.Array(Container, { maxItems: LIMITS.maxContainers, default: [] })),
    timestamp: Type.String({
      maxLength: 64,
      description: `The agent's time: ${AGENT_TIME_FORMS}, UTC when it names no zone. Anything else is stored as the receive time`,
    }),
    machine_type: Type.Optional(Type.String({ maxLength: LIMITS.shortString, default: 'host' })),
    group: Type.Optional(Type.String({ maxLength: LIMITS.shortString, default: 'default' })),
    os: Type.Optional(Type.String({ maxLength: LIMITS.shortString, default: 'Unknown' })),
    labels: Type.Optional(Type.Array(Str(), { maxItems: LIMITS.maxLabels, default: [] })),
    /** Fleetwatch agent: its version, shown per host. */
    agent_version: Type.Optional(Str(64)),
    /** Fleetwatch agent: the protocol it speaks (PROTOCOL_VERSION); the original agent omits it. */
    protocol_version: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.maxProtocolVersion })),
  },
  {
    description:
      'Unknown fields, here and in every nested object, are accepted and ignored as pydantic ignores them: ' +
      "never stored, and named in the 200 answer's `ignored`",
  },
);

export type ReportInput = Static<typeof Report>;
export type GpuProcessReport = Static<typeof GpuProcess>;
export type DiskReport = Static<typeof Disk>;
export type UserReport = Static<typeof User>;
