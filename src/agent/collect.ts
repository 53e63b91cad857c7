/**
 * One collection cycle: every collector runs in parallel and the results are
 * assembled into a wire-contract report. A collector that fails leaves its
 * part empty rather than losing the whole report.
 */
import type { ReportInput, GpuReport } from '../contract/index.js';
import type { AgentConfig } from './config.js';
import type { Logger } from './log.js';
import { LogOnce } from './log-once.js';
import { CpuCollector } from './collectors/cpu.js';
import { collectMemory } from './collectors/memory.js';
import { collectDisks } from './collectors/disks.js';
import { collectUsers } from './collectors/users.js';
import { collectHost } from './collectors/host.js';
import { collectGpus } from './collectors/gpu.js';
import { DockerCollector } from './collectors/docker.js';
import { AGENT_VERSION } from './version.js';

/** Files outside /proc that collectors read; injectable for tests. */
export interface HostFiles { utmp: string; passwd: string; osRelease: string[]; whoCommand: string }

export const DEFAULT_HOST_FILES: HostFiles = {
  utmp: '/var/run/utmp', passwd: '/etc/passwd', osRelease: ['/etc/os-release', '/usr/lib/os-release'], whoCommand: 'who',
};

type CollectorConfig = Pick<AgentConfig, 'serverAlias' | 'machineType' | 'group' | 'labels' | 'dockerSocket' | 'nvidiaSmi'
  | 'gpuMode' | 'perCore' | 'networkDisks' | 'procRoot' | 'timeoutSeconds'>;

/** Holds the state that spans cycles (CPU and container baselines, logged failures). */
export class ReportCollector {
  private readonly cpu: CpuCollector;
  private readonly docker: DockerCollector;
  private readonly gpuLog: LogOnce;
  private readonly partLog: LogOnce;

  constructor(private readonly config: CollectorConfig, private readonly log: Logger, private readonly files: HostFiles = DEFAULT_HOST_FILES) {
    const proc = config.procRoot;
    this.cpu = new CpuCollector({ procStat: `${proc}/stat`, procLoadavg: `${proc}/loadavg`, perCore: config.perCore });
    this.docker = new DockerCollector({ socketPath: config.dockerSocket, timeoutMs: Math.max(5000, config.timeoutSeconds * 1000) }, new LogOnce(log, 'docker'));
    this.gpuLog = new LogOnce(log, 'nvidia-smi');
    this.partLog = new LogOnce(log, 'collector');
  }

  /** Collects one report. */
  async collect(): Promise<ReportInput> {
    const c = this.config;
    const proc = c.procRoot;
    const part = <T>(name: string, p: Promise<T>, fallback: T) => p.catch((err: Error) => {
      this.partLog.fail(`${name}: ${err.message}`);
      return fallback;
    });
    const [cpu, memory, disks, users, host, gpus, docker] = await Promise.all([
      this.cpu.collect(),
      collectMemory(`${proc}/meminfo`),
      part('disks', collectDisks(`${proc}/self/mountinfo`, c.networkDisks), []),
      part('users', collectUsers({ utmp: this.files.utmp, procRoot: proc, whoCommand: this.files.whoCommand }), []),
      collectHost({ procUptime: `${proc}/uptime`, procNetRoute: `${proc}/net/route`, osRelease: this.files.osRelease }),
      collectGpus({ nvidiaSmi: c.nvidiaSmi, mode: c.gpuMode, procRoot: proc, passwd: this.files.passwd, timeoutMs: 15_000 }, this.gpuLog),
      this.docker.collect(),
    ]);
    return {
      server_alias: c.serverAlias,
      hostname: host.hostname,
      ip: host.ip,
      uptime_seconds: host.uptime_seconds,
      cpu,
      memory,
      disks,
      users,
      gpus: nameContainers(gpus, docker.names),
      containers: docker.containers,
      timestamp: new Date().toISOString(),
      machine_type: c.machineType,
      group: c.group,
      os: host.os,
      labels: c.labels,
      agent_version: AGENT_VERSION,
    };
  }
}

/** Replaces a GPU process's container id with the container's name when Docker knows it. */
function nameContainers(gpus: GpuReport[], names: Map<string, string>): GpuReport[] {
  for (const g of gpus) for (const p of g.processes) if (p.container) p.container = names.get(p.container) ?? p.container;
  return gpus;
}
