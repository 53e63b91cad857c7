/**
 * The report as the server stores it and serves its parts: the input schemas
 * of report.ts with every default filled in and the load averages under the
 * canonical `1m`/`5m`/`15m` keys only. `normalizeReport` produces it; the
 * Fleetwatch agent sends it as it is.
 */
import { Type, type Static } from 'typebox';
import { LIMITS } from './limits.js';
import { Container, Cpu, Disk, GpuProcess, Gpu, LoadAvg, Memory, Report, User } from './report.js';

/** The stored shape holds no field it does not declare (the input accepts and drops them). */
const strict = { additionalProperties: false } as const;

export const NormalizedLoadAvg = Type.Object(Type.Pick(Type.Required(LoadAvg), ['1m', '5m', '15m']).properties, {
  additionalProperties: false,
});

export const NormalizedCpu = Type.Object(
  { ...Cpu.properties, loadavg: NormalizedLoadAvg },
  { additionalProperties: false },
);

export const NormalizedGpuProcess = Type.Object(Type.Required(GpuProcess).properties, { additionalProperties: false });

export const NormalizedGpu = Type.Object(
  {
    ...Type.Required(Gpu).properties,
    processes: Type.Array(NormalizedGpuProcess, { maxItems: LIMITS.maxProcessesPerGpu }),
  },
  { additionalProperties: false },
);

/** `created` is ISO 8601 when the agent sent a time any parser can read (container-time.ts). */
export const NormalizedContainer = Type.Object(Type.Required(Container).properties, { additionalProperties: false });

/** Fields the original agent omits and that stay absent rather than defaulted. */
const { agent_version, protocol_version } = Report.properties;

export const NormalizedReportSchema = Type.Object(
  {
    ...Type.Required(Report).properties,
    cpu: NormalizedCpu,
    memory: Type.Object(Memory.properties, strict),
    disks: Type.Array(Type.Object(Disk.properties, strict), { maxItems: LIMITS.maxDisks }),
    users: Type.Array(Type.Object(User.properties, strict), { maxItems: LIMITS.maxUsers }),
    gpus: Type.Array(NormalizedGpu, { maxItems: LIMITS.maxGpus }),
    containers: Type.Array(NormalizedContainer, { maxItems: LIMITS.maxContainers }),
    agent_version,
    protocol_version,
  },
  { additionalProperties: false },
);

/** A report after defaults are applied and load keys are normalized to `1m`/`5m`/`15m`. */
export type NormalizedReport = Static<typeof NormalizedReportSchema>;
export type GpuReport = Static<typeof NormalizedGpu>;
export type ContainerReport = Static<typeof NormalizedContainer>;
