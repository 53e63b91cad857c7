import { describe, it, expect, afterEach } from 'vitest';
import { join } from 'node:path';
import { DockerCollector } from '../../src/agent/collectors/docker.js';
import { formatPorts, cpuPercent, memoryMb, type ApiStats } from '../../src/agent/collectors/docker-format.js';
import { LogOnce } from '../../src/agent/log-once.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixtureJson } from './helpers/fixtures.js';
import { fakeDockerEngine } from './helpers/fake-host.js';

type Stats = ApiStats & { id: string };
const v1List = fixtureJson<{ Id: string }[]>('docker/containers-list_cgroup-v1_2-running_otel.json');
const v2List = fixtureJson<{ Id: string }[]>('docker/containers-list_cgroup-v2_1-running_otel.json');
const v1Stats = fixtureJson<Stats>('docker/container-stats_cgroup-v1_loving_torvalds_otel.json');
const v1Java = fixtureJson<Stats>('docker/container-stats_cgroup-v1_api-1.27_gallant_hamilton_docker-java.json');
const v2First = fixtureJson<Stats>('docker/container-stats_cgroup-v2_oom-limited_first-sample_otel.json');
const v2Sleepy = fixtureJson<Stats>('docker/container-stats_cgroup-v2_pids-limit_sleepy1_otel.json');

function recordingLog() {
  const lines: { data: Record<string, unknown>; msg: string }[] = [];
  const at = (data: Record<string, unknown>, msg: string) => {
    lines.push({ data, msg });
  };
  return { lines, log: { info: at, warn: at, error: at, debug: at } as never };
}

describe('Docker collector against a fake engine replaying real API answers', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function engine(list: unknown[], stats: Record<string, unknown>) {
    const dir = tempDir('fw-docker-');
    const socketPath = join(dir.path, 'docker.sock');
    const fake = await fakeDockerEngine(socketPath, list, stats);
    cleanups.push(dir.remove, fake.close);
    return { socketPath, fake };
  }

  it('cgroup v1: lists all containers with docker-ps ports, ISO created, and stats per running container', async () => {
    const { socketPath, fake } = await engine(v1List, { [v1List[0]!.Id]: v1Stats });
    const { log, lines } = recordingLog();
    const result = await new DockerCollector({ socketPath, timeoutMs: 5000 }, new LogOnce(log, 'docker')).collect();
    expect(result.containers).toEqual([
      {
        id: '89d28931fd8b',
        name: 'loving_torvalds',
        image: 'alpine',
        state: 'running',
        created: new Date(1657586620 * 1000).toISOString(),
        ports: '0.0.0.0:8001->8001/tcp, [::]:8001->8001/tcp',
        cpu_pct: 0,
        // usage 1302528 less total_inactive_file 528384, in MiB.
        mem_mb: Math.round(((1302528 - 528384) / 1048576) * 10) / 10,
      },
      // No stats fixture for this one: the engine answers 404, and the container still shows.
      {
        id: 'a359c0fc87c5',
        name: 'pensive_aryabhata',
        image: 'ubuntu',
        state: 'running',
        created: new Date(1657586564 * 1000).toISOString(),
        ports: '0.0.0.0:8000->8000/tcp, [::]:8000->8000/tcp',
        cpu_pct: 0,
        mem_mb: 0,
      },
    ]);
    expect(result.names.get('89d28931fd8b')).toBe('loving_torvalds');
    expect(fake.calls.filter((c) => c.includes('/stats')).sort()).toEqual(
      v1List.map((c) => `/containers/${c.Id}/stats?stream=false&one-shot=true`).sort(),
    );
    expect(lines).toEqual([]);
  });

  it('cgroup v2: memory less inactive_file; a first sample without precpu gives 0% CPU', async () => {
    const { socketPath } = await engine(v2List, { [v2List[0]!.Id]: v2First });
    const result = await new DockerCollector(
      { socketPath, timeoutMs: 5000 },
      new LogOnce(recordingLog().log, 'docker'),
    ).collect();
    expect(result.containers).toEqual([
      {
        id: 'f97ed5bca0a5',
        name: 'compassionate_mcnulty',
        image: 'alpine',
        state: 'running',
        created: new Date(1682419163 * 1000).toISOString(),
        ports: '',
        cpu_pct: 0,
        mem_mb: Math.round((234647552 / 1048576) * 10) / 10,
      },
    ]);
  });

  it('CPU percent as docker stats computes it, over every stats fixture', () => {
    // docker-java sample: 4 CPUs (percpu_usage), total 212198028 vs 211307214, system 545941980000000 vs 545937990000000.
    expect(cpuPercent(v1Java.cpu_stats, v1Java.precpu_stats)).toBe(
      Math.round((890814 / 3_990_000_000) * 4 * 100 * 100) / 100,
    );
    expect(cpuPercent(v2Sleepy.cpu_stats, v2Sleepy.precpu_stats)).toBe(0);
    expect(cpuPercent(v1Stats.cpu_stats, v1Stats.precpu_stats)).toBe(0);
    expect(cpuPercent(v2First.cpu_stats, v2First.precpu_stats)).toBe(0);
    expect(memoryMb(v2Sleepy.memory_stats)).toBe(Math.round(((2240512 - 1892352) / 1048576) * 10) / 10);
    expect(memoryMb(v1Java.memory_stats)).toBe(Math.round((647168 / 1048576) * 10) / 10);
  });

  it('a first sample without precpu uses the previous cycle as its baseline', async () => {
    const later = {
      ...v2First,
      cpu_stats: {
        ...v2First.cpu_stats!,
        cpu_usage: { total_usage: v2First.cpu_stats!.cpu_usage!.total_usage! + 500_000_000 },
        system_cpu_usage: v2First.cpu_stats!.system_cpu_usage! + 2_000_000_000,
      },
    };
    const stats: Record<string, unknown> = { [v2List[0]!.Id]: v2First };
    const { socketPath } = await engine(v2List, stats);
    const collector = new DockerCollector({ socketPath, timeoutMs: 5000 }, new LogOnce(recordingLog().log, 'docker'));
    await collector.collect();
    stats[v2List[0]!.Id] = later;
    const second = await collector.collect();
    // 0.5 s of CPU over 2 s of system time on 2 online CPUs.
    expect(second.containers[0]!.cpu_pct).toBe(50);
  });

  it('ports are grouped into ranges like docker ps', () => {
    expect(
      formatPorts([
        { PrivatePort: 9988, Type: 'tcp' },
        { PrivatePort: 9989, Type: 'tcp' },
        { IP: '0.0.0.0', PrivatePort: 8001, PublicPort: 9001, Type: 'tcp' },
        { IP: '0.0.0.0', PrivatePort: 8000, PublicPort: 9000, Type: 'tcp' },
        { PrivatePort: 53, Type: 'udp' },
      ]),
    ).toBe('53/udp, 0.0.0.0:9000-9001->8000-8001/tcp, 9988-9989/tcp');
    expect(formatPorts(null)).toBe('');
  });

  it('no socket: no containers and one log line, however many cycles', async () => {
    const { log, lines } = recordingLog();
    const missing = new DockerCollector(
      { socketPath: '/nonexistent/docker.sock', timeoutMs: 2000 },
      new LogOnce(log, 'docker'),
    );
    expect((await missing.collect()).containers).toEqual([]);
    expect((await missing.collect()).containers).toEqual([]);
    expect(lines.map((l) => l.data.reason)).toEqual(['/nonexistent/docker.sock: no such socket']);
  });
});
