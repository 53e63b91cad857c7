/**
 * Agent footprint: resident memory of a running agent and CPU time per
 * collection cycle, on a simulated host with 8 GPUs (nvidia-smi replaying
 * real -q -x output) and 50 running containers (a Docker Engine on a Unix
 * socket replaying real stats), sending to a real server. The baselines,
 * measured in the same run: a bare Node process (RSS) and the same agent on
 * a host with no GPU and no Docker (CPU).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import type { BenchSection } from './run.js';
import { startServer } from '../test/helpers/server-process.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import { fakeNvidiaSmi, fakeDockerEngine } from '../test/agent/helpers/fake-host.js';
import { startAgent } from '../test/agent/helpers/agent-process.js';
import { fixture, fixtureJson } from '../test/agent/helpers/fixtures.js';

const TICK_MS = 10; // USER_HZ is 100 on Linux
/** Node flags as deploy/fleetwatch-agent.service runs the agent (a 1 MB young generation keeps RSS down). */
const NODE_FLAGS = ['--max-semi-space-size=1'];

/** utime+stime of a process, in ms, and its resident memory in MB. */
function usage(pid: number): { cpuMs: number; rssMb: number; hwmMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) / 1024;
  return { cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS, rssMb: kb('VmRSS'), hwmMb: kb('VmHWM') };
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
  const samples = ['container-stats_cgroup-v1_loving_torvalds_otel.json', 'container-stats_cgroup-v2_pids-limit_sleepy1_otel.json',
    'container-stats_cgroup-v1_api-1.27_gallant_hamilton_docker-java.json'].map((f) => fixtureJson(`docker/${f}`));
  const list: unknown[] = [];
  const stats: Record<string, unknown> = {};
  for (let i = 0; i < 50; i++) {
    const id = randomBytes(32).toString('hex');
    list.push({ ...base[i % 2], Id: id, Names: [`/job-${i}`] });
    stats[id] = samples[i % samples.length];
  }
  return { list, stats };
}

async function measure(env: Record<string, string>, seconds: number): Promise<{ cycles: number; cpuPerCycleMs: number; rssMb: number; hwmMb: number }> {
  const agent = startAgent(['run'], { ...env, INTERVAL: '1', JITTER: '0', LOG_LEVEL: 'debug' }, NODE_FLAGS);
  const cycles = () => agent.logs().filter((l) => l.msg === 'cycle done').length;
  try {
    // Skip the first cycles (module loading, first CPU window), then measure whole cycles.
    await agent.waitFor(() => cycles() >= 3, 60_000);
    const startCycles = cycles();
    const start = usage(agent.child.pid!);
    await agent.waitFor(() => cycles() >= startCycles + seconds, (seconds + 30) * 1000);
    const end = usage(agent.child.pid!);
    const n = cycles() - startCycles;
    return { cycles: n, cpuPerCycleMs: (end.cpuMs - start.cpuMs) / n, rssMb: end.rssMb, hwmMb: end.hwmMb };
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
    const common = { API_ENDPOINT: server.url, API_KEY: 'bench-agent-key-0123456789', SPOOL_DIR: join(tmp.path, 'spool') };
    try {
      process.stderr.write(`agent on a simulated 8-GPU, 50-container host, ${seconds} cycles...\n`);
      const busy = await measure({ ...common, SERVER_ALIAS: 'bench-busy', NVIDIA_SMI: fakeNvidiaSmi(tmp.path, { xml }), DOCKER_SOCKET: socketPath }, seconds);
      process.stderr.write('agent on a host with no GPU and no Docker...\n');
      const empty = await measure({ ...common, SERVER_ALIAS: 'bench-empty' }, seconds);
      const bare = await bareNodeRssMb();
      const f = (n: number) => n.toFixed(1);
      return [
        `The agent bundle (\`dist/agent/fleetwatch-agent.mjs\`, run as the systemd unit runs it: \`node ${NODE_FLAGS.join(' ')}\`) runs \`run\` with INTERVAL=1 and sends to a real server. Simulated host: 8 GPUs`,
        `(\`nvidia-smi -q -x\` of the dual RTX A5000 capture, GPU blocks ×4, printed by a script) and 50 running containers (a Docker Engine`,
        `on a Unix socket replaying the cgroup v1/v2 stats fixtures). CPU is the agent process's own user+system time over ${busy.cycles} whole cycles;`,
        `the fake nvidia-smi's own CPU is not counted (a real nvidia-smi costs what the driver costs, whatever the agent).`,
        '',
        '| figure | simulated host | baseline | ratio | target |',
        '|---|---|---|---|---|',
        `| RSS after ${busy.cycles + 3} cycles (MB) | ${f(busy.rssMb)} | ${f(bare)} (bare \`node\`) | ${(busy.rssMb / bare).toFixed(2)}× | < 60 |`,
        `| peak RSS (MB) | ${f(busy.hwmMb)} | ${f(empty.hwmMb)} (agent, no GPU/Docker) | ${(busy.hwmMb / empty.hwmMb).toFixed(2)}× | < 60 |`,
        `| CPU per cycle (ms) | ${f(busy.cpuPerCycleMs)} | ${f(empty.cpuPerCycleMs)} (agent, no GPU/Docker) | ${(busy.cpuPerCycleMs / Math.max(empty.cpuPerCycleMs, 0.1)).toFixed(1)}× | < 50 |`,
      ].join('\n');
    } finally {
      await engine.close();
      await server.stop();
      tmp.remove();
    }
  },
};

export default section;
