/**
 * One collection cycle: every collector runs in parallel and the results are
 * assembled into a wire-contract report, already in the normalized shape the
 * server stores (canonical load keys, every default filled, ISO times). A
 * collector that fails leaves its part empty rather than losing the whole
 * report.
 */
import type { GpuReport, NormalizedReport } from '../contract/index.js';
// By file, not through index.js: the index's schemas would bundle TypeBox into the agent.
import { PROTOCOL_VERSION } from '../contract/protocol.js';
import type { AgentConfig } from './config.js';
import type { Logger } from './log.js';
import { LogOnce } from './log-once.js';
import { CpuCollector } from './collectors/cpu.js';
import { collectMemory } from './collectors/memory.js';
import { collectDisks } from './collectors/disks.js';
import { UsersCollector } from './collectors/users.js';
import { collectHost } from './collectors/host.js';
import { GpuCollector } from './collectors/gpu.js';
import { DockerCollector } from './collectors/docker.js';
import { AGENT_VERSION } from './version.js';

/** Files outside /proc that collectors read; injectable for tests. */
export interface HostFiles {
  utmp: string;
  passwd: string;
  osRelease: string[];
  whoCommand: string;
}

export const DEFAULT_HOST_FILES: HostFiles = {
  utmp: '/var/run/utmp',
  passwd: '/etc/passwd',
  osRelease: ['/etc/os-release', '/usr/lib/os-release'],
  whoCommand: 'who',
};

type CollectorConfig = Pick<
  AgentConfig,
  | 'serverAlias'
  | 'machineType'
  | 'group'
  | 'labels'
  | 'dockerSocket'
  | 'nvidiaSmi'
  | 'gpuMode'
  | 'perCore'
  | 'networkDisks'
  | 'procRoot'
  | 'timeoutSeconds'
  | 'intervalSeconds'
>;

/** How a collector is set up beyond the config. */
export interface CollectorOptions {
  /** Files outside /proc (tests point them elsewhere). */
  files?: HostFiles;
  /** Keep one `nvidia-smi -q -x -l INTERVAL` running (the `run` loop) instead of one run per report. */
  streamGpus?: boolean;
}

/** Holds the state that spans cycles (CPU and container baselines, logged failures, the nvidia-smi stream). */
export class ReportCollector {
  private readonly cpu: CpuCollector;
  private readonly docker: DockerCollector;
  private readonly gpus: GpuCollector;
  private readonly users: UsersCollector;
  private readonly partLog: LogOnce;
  private readonly osRelease: string[];

  constructor(
    private readonly config: CollectorConfig,
    log: Logger,
    options: CollectorOptions = {},
  ) {
    const proc = config.procRoot;
    const files = options.files ?? DEFAULT_HOST_FILES;
    this.cpu = new CpuCollector({ procStat: `${proc}/stat`, procLoadavg: `${proc}/loadavg`, perCore: config.perCore });
    this.docker = new DockerCollector(
      { socketPath: config.dockerSocket, timeoutMs: Math.max(5000, config.timeoutSeconds * 1000) },
      new LogOnce(log, 'docker'),
    );
    this.gpus = new GpuCollector(
      { nvidiaSmi: config.nvidiaSmi, mode: config.gpuMode, procRoot: proc, passwd: files.passwd, timeoutMs: 15_000 },
      new LogOnce(log, 'nvidia-smi'),
      options.streamGpus
        ? { periodSeconds: config.intervalSeconds, onEvent: (msg, data) => log.debug(data, msg) }
        : undefined,
    );
    this.users = new UsersCollector({ utmp: files.utmp, procRoot: proc, whoCommand: files.whoCommand });
    this.osRelease = files.osRelease;
    this.partLog = new LogOnce(log, 'collector');
  }

  /** Stops what runs between cycles (the long-running nvidia-smi). */
  close(): void {
    this.gpus.close();
  }

  /** Collects one report. */
  async collect(): Promise<NormalizedReport> {
    const c = this.config;
    const proc = c.procRoot;
    const part = <T>(name: string, p: Promise<T>, fallback: T) =>
      p.catch((err: Error) => {
        this.partLog.fail(`${name}: ${err.message}`);
        return fallback;
      });
    const [cpu, memory, disks, users, host, gpus, docker] = await Promise.all([
      this.cpu.collect(),
      collectMemory(`${proc}/meminfo`),
      part('disks', collectDisks(`${proc}/self/mountinfo`, c.networkDisks), []),
      part('users', this.users.collect(), []),
      collectHost({ procUptime: `${proc}/uptime`, procNetRoute: `${proc}/net/route`, osRelease: this.osRelease }),
      this.gpus.collect(),
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
      protocol_version: PROTOCOL_VERSION,
    };
  }
}

/** Replaces a GPU process's container id with the container's name when Docker knows it. */
function nameContainers(gpus: GpuReport[], names: Map<string, string>): GpuReport[] {
  for (const g of gpus)
    for (const p of g.processes) if (p.container) p.container = names.get(p.container) ?? p.container;
  return gpus;
}
