/**
 * Containers through the Docker Engine API on its Unix socket, not by forking
 * the CLI: one list call, then one stats call per running container, all in
 * parallel. The daemon fills precpu_stats for a one-shot stats call; when it
 * does not (the first frame on some engines), the previous cycle's sample
 * serves as the baseline. No socket, or no permission, means no containers
 * and one log line.
 */
import type { ContainerReport } from '../../contract/index.js';
import type { LogOnce } from '../log-once.js';
import { dockerGet, type DockerSource } from './docker-api.js';
import { formatPorts, cpuPercent, memoryMb, type ApiPort, type ApiStats, type CpuStats } from './docker-format.js';

/** A container of GET /containers/json?all=1. */
export interface ApiContainer {
  Id: string;
  Names?: string[];
  Image: string;
  State: string;
  Created: number;
  Ports?: ApiPort[] | null;
}

/** Containers, and a map of short id → name for attributing GPU processes. */
export interface DockerResult {
  containers: ContainerReport[];
  names: Map<string, string>;
}

/** Builds the report entry of one container from its list entry and stats. */
export function toContainerReport(
  c: ApiContainer,
  stats: ApiStats | undefined,
  prevCpu: CpuStats | undefined,
): ContainerReport {
  const precpu = stats?.precpu_stats?.system_cpu_usage ? stats.precpu_stats : prevCpu;
  return {
    id: c.Id.slice(0, 12),
    name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
    image: c.Image,
    state: c.State,
    created: new Date(c.Created * 1000).toISOString(),
    ports: formatPorts(c.Ports),
    cpu_pct: stats ? cpuPercent(stats.cpu_stats, precpu) : 0,
    mem_mb: stats ? memoryMb(stats.memory_stats) : 0,
  };
}

/** Keeps each container's last CPU sample between cycles. */
export class DockerCollector {
  private prevCpu = new Map<string, CpuStats>();
  constructor(
    private readonly source: DockerSource,
    private readonly logOnce: LogOnce,
  ) {}

  async collect(): Promise<DockerResult> {
    let list: ApiContainer[];
    try {
      list = await dockerGet<ApiContainer[]>(this.source, '/containers/json?all=1');
    } catch (err) {
      this.logOnce.fail((err as Error).message);
      return { containers: [], names: new Map() };
    }
    this.logOnce.ok();
    const stats = await Promise.all(
      list.map((c) =>
        c.State === 'running'
          ? dockerGet<ApiStats>(this.source, `/containers/${c.Id}/stats?stream=false&one-shot=true`).catch(
              () => undefined,
            )
          : Promise.resolve(undefined),
      ),
    );
    const seen = new Map<string, CpuStats>();
    const containers = list.map((c, i) => {
      const s = stats[i];
      if (s?.cpu_stats?.system_cpu_usage) seen.set(c.Id, s.cpu_stats);
      return toContainerReport(c, s, this.prevCpu.get(c.Id));
    });
    this.prevCpu = seen;
    return { containers, names: new Map(containers.map((c) => [c.id, c.name])) };
  }
}
