/**
 * Agent footprint: resident memory of a running agent and CPU time per
 * collection cycle, on a simulated host with 8 GPUs (nvidia-smi replaying
 * real -q -x output) and 50 running containers (a Docker Engine on a Unix
 * socket replaying real stats), sending to a real server. The baselines,
 * measured in the same run: a bare Node process (RSS), the same agent on a
 * host with no GPU and no Docker (CPU), and the agent under plain `node`
 * without the unit's flags (what the flags buy, and cost).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import type { BenchSection } from './section.js';
import { startServer } from '../test/helpers/server-process.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import { fakeNvidiaSmi, fakeDockerEngine } from '../test/agent/helpers/fake-host.js';
import { startAgent } from '../test/agent/helpers/agent-process.js';
import { fixture, fixtureJson } from '../test/agent/helpers/fixtures.js';
import { unitNodeFlags } from '../test/agent/helpers/unit-flags.js';

const TICK_MS = 10; // USER_HZ is 100 on Linux
/** Node flags exactly as deploy/fleetwatch-agent.service runs the agent (read from the unit, so they cannot drift). */
const NODE_FLAGS = unitNodeFlags();

/** CPU times of a process in ms (its own; its reaped children's), and its resident memory in MB. */
function usage(pid: number): { cpuMs: number; childrenMs: number; rssMb: number; hwmMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) / 1024;
  return {
    cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
    childrenMs: (Number(fields[13]) + Number(fields[14])) * TICK_MS,
    rssMb: kb('VmRSS'),
    hwmMb: kb('VmHWM'),
  };
}

/** Own plus reaped children's CPU of the agent's live child processes (the long-running nvidia-smi), in ms. */
function liveChildrenCpuMs(pid: number): number {
  let total = 0;
  let children: string[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    /* none */
  }
  for (const child of children) {
    try {
      const u = usage(Number(child));
      total += u.cpuMs + u.childrenMs;
    } catch {
      /* exited meanwhile */
    }
  }
  return total;
}

/** An 8-GPU `nvidia-smi -q -x` made of the dual RTX A5000 capture's GPU blocks. */
function eightGpuXml(): string {
  const xml = fixture('nvidia-smi/dual-rtx-a5000_driver-590.44.01_q-x.xml');
  const blocks = xml.match(/\t<gpu id=[\s\S]*?\n\t<\/gpu>\n/g)!;
  const head = xml.slice(0, xml.indexOf(blocks[0]!));
  const tail = xml.slice(xml.lastIndexOf(blocks[1]!) + blocks[1]!.length);
  return head + Array.from({ length: 4 }, () => blocks.join('')).join('') + tail;
}

/** 50 running containers with real list entries and stats, under new ids. */
function fiftyContainers(): { list: unknown[]; stats: Record<string, unknown> } {
  const base = fixtureJson<Record<string, unknown>[]>('docker/containers-list_cgroup-v1_2-running_otel.json');
  const samples = [
    'container-stats_cgroup-v1_loving_torvalds_otel.json',
    'container-stats_cgroup-v2_pids-limit_sleepy1_otel.json',
    'container-stats_cgroup-v1_api-1.27_gallant_hamilton_docker-java.json',
  ].map((f) => fixtureJson(`docker/${f}`));
  const list: unknown[] = [];
  const stats: Record<string, unknown> = {};
  for (let i = 0; i < 50; i++) {
    const id = randomBytes(32).toString('hex');
    list.push({ ...base[i % 2], Id: id, Names: [`/job-${i}`] });
    stats[id] = samples[i % samples.length];
  }
  return { list, stats };
}

/** What one measured agent run came to, per cycle. */
interface Measured {
  cycles: number;
  /** The agent process's user+system time plus that of the children it spawned and reaped within the cycles. */
  cpuPerCycleMs: number;
  /** Of which: reaped children (a per-cycle nvidia-smi fallback, `who`). */
  reapedPerCycleMs: number;
  /** The long-running nvidia-smi stand-in's CPU, not in cpuPerCycleMs (see the section text). */
  streamPerCycleMs: number;
  rssMb: number;
  hwmMb: number;
}

async function measure(env: Record<string, string>, seconds: number, nodeFlags = NODE_FLAGS): Promise<Measured> {
  const agent = startAgent(['run'], { ...env, INTERVAL: '1', JITTER: '0', LOG_LEVEL: 'debug' }, nodeFlags);
  const cycles = () => agent.logs().filter((l) => l.msg === 'cycle done').length;
  try {
    // Skip the first cycles (module loading, first CPU window), then measure whole cycles.
    await agent.waitFor(() => cycles() >= 3, 60_000);
    const pid = agent.child.pid!;
    const startCycles = cycles();
    const start = usage(pid);
    const startStream = liveChildrenCpuMs(pid);
    await agent.waitFor(() => cycles() >= startCycles + seconds, (seconds + 30) * 1000);
    const end = usage(pid);
    const endStream = liveChildrenCpuMs(pid);
    const n = cycles() - startCycles;
    const reaped = end.childrenMs - start.childrenMs;
    return {
      cycles: n,
      cpuPerCycleMs: (end.cpuMs - start.cpuMs + reaped) / n,
      reapedPerCycleMs: reaped / n,
      streamPerCycleMs: Math.max(0, endStream - startStream) / n,
      rssMb: end.rssMb,
      hwmMb: end.hwmMb,
    };
  } finally {
    await agent.stop();
  }
}

async function bareNodeRssMb(): Promise<number> {
  const child = spawn(process.execPath, [...NODE_FLAGS, '-e', 'setInterval(() => {}, 1000)']);
  await new Promise((r) => setTimeout(r, 1500));
  const { rssMb } = usage(child.pid!);
  child.kill();
  return rssMb;
}

const section: BenchSection = {
  title: 'Agent footprint',
  run: async ({ quick }) => {
    const seconds = quick ? 8 : 30;
    const tmp = tempDir('fw-bench-agent-');
    const server = await startServer({ DATA_DIR: join(tmp.path, 'data'), API_KEY: 'bench-agent-key-0123456789' });
    const socketPath = join(tmp.path, 'docker.sock');
    const { list, stats } = fiftyContainers();
    const engine = await fakeDockerEngine(socketPath, list, stats);
    const xml = join(tmp.path, 'eight-gpus.xml');
    writeFileSync(xml, eightGpuXml());
    const common = {
      API_ENDPOINT: server.url,
      API_KEY: 'bench-agent-key-0123456789',
      SPOOL_DIR: join(tmp.path, 'spool'),
    };
    try {
      const busyEnv = {
        ...common,
        SERVER_ALIAS: 'bench-busy',
        NVIDIA_SMI: fakeNvidiaSmi(tmp.path, { xml }),
        DOCKER_SOCKET: socketPath,
      };
      process.stderr.write(
        `agent (node ${NODE_FLAGS.join(' ')}) on a simulated 8-GPU, 50-container host, ${seconds} cycles...\n`,
      );
      const busy = await measure(busyEnv, seconds);
      process.stderr.write("the same under plain node, without the unit's flags...\n");
      const plain = await measure(busyEnv, seconds, []);
      process.stderr.write('agent on a host with no GPU and no Docker...\n');
      const empty = await measure({ ...common, SERVER_ALIAS: 'bench-empty' }, seconds);
      const bare = await bareNodeRssMb();
      const f = (n: number) => n.toFixed(1);
      const ratio = (a: number, b: number) => `${(a / Math.max(b, 0.1)).toFixed(2)}×`;
      return [
        `The agent bundle (\`dist/agent/fleetwatch-agent.mjs\`) runs \`run\` with INTERVAL=1 and sends to a real server, under`,
        `\`node ${NODE_FLAGS.join(' ')}\`, the flags of \`deploy/fleetwatch-agent.service\` (read from it). Simulated host: 8 GPUs`,
        '(`nvidia-smi -q -x` of the dual RTX A5000 capture, GPU blocks ×4, 377 KB a document, printed by a script that loops like',
        '`-l`) and 50 running containers (a Docker Engine on a Unix socket replaying the cgroup v1/v2 stats fixtures).',
        '',
        `CPU is the agent process's own user+system time over ${busy.cycles} whole cycles, plus that of every child it spawned and`,
        'reaped within them (a per-cycle nvidia-smi fallback; `who` on a host without utmp, as here, at most once a minute, so within',
        "these cycles at most once, where at INTERVAL=15 it would be every fourth cycle): spawning is the agent's cost. The agent keeps one `nvidia-smi -q -x -l INTERVAL` running instead of starting one per cycle; reading",
        "and parsing its documents is in the agent's figure. That process's own CPU is not: here it is a shell loop of `cat` and",
        `\`sleep\` (${f(busy.streamPerCycleMs)} ms a cycle, shown for completeness), and a real nvidia-smi spends on querying the driver what`,
        'a per-cycle one spends too, less its start-up (loading NVML and attaching to every GPU), which the long-running one saves.',
        '',
        '| figure | simulated host | baseline | ratio | target |',
        '|---|---|---|---|---|',
        `| RSS after ${busy.cycles + 3} cycles (MB) | ${f(busy.rssMb)} | ${f(bare)} (bare \`node ${NODE_FLAGS.join(' ')}\`) | ${ratio(busy.rssMb, bare)} | < 60 |`,
        `| peak RSS (MB) | ${f(busy.hwmMb)} | ${f(empty.hwmMb)} (agent, no GPU/Docker) | ${ratio(busy.hwmMb, empty.hwmMb)} | < 60 |`,
        `| CPU per cycle (ms) | ${f(busy.cpuPerCycleMs)} | ${f(empty.cpuPerCycleMs)} (agent, no GPU/Docker) | ${ratio(busy.cpuPerCycleMs, empty.cpuPerCycleMs)} | < 50 |`,
        `| of which reaped children (ms) | ${f(busy.reapedPerCycleMs)} | ${f(empty.reapedPerCycleMs)} (agent, no GPU/Docker) | | |`,
        '',
        "What the unit's flags do, same simulated host, same run:",
        '',
        "| figure | with the unit's flags | plain `node` | ratio |",
        '|---|---|---|---|',
        `| RSS (MB) | ${f(busy.rssMb)} | ${f(plain.rssMb)} | ${ratio(busy.rssMb, plain.rssMb)} |`,
        `| peak RSS (MB) | ${f(busy.hwmMb)} | ${f(plain.hwmMb)} | ${ratio(busy.hwmMb, plain.hwmMb)} |`,
        `| CPU per cycle (ms) | ${f(busy.cpuPerCycleMs)} | ${f(plain.cpuPerCycleMs)} | ${ratio(busy.cpuPerCycleMs, plain.cpuPerCycleMs)} |`,
      ].join('\n');
    } finally {
      await engine.close();
      await server.stop();
      tmp.remove();
    }
  },
};

export default section;
