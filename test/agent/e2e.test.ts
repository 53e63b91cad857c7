/**
 * End to end: the bundled agent sends to a real server started on a temp data
 * dir. GPUs and Docker are the fakes replaying real outputs; everything else
 * is this machine.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runAgent, startAgent } from './helpers/agent-process.js';
import { fakeNvidiaSmi, fakeProc, fakeDockerEngine } from './helpers/fake-host.js';
import { fixtureJson } from './helpers/fixtures.js';
import { PROTOCOL_VERSION } from '../../src/contract/index.js';

const KEY = 'e2e-agent-key-0123456789';
const GIB = 1024 ** 3;
/** The bundle carries package.json's version. */
const AGENT_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('agent → real server', () => {
  const tmp = tempDir('fw-agent-e2e-');
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    tmp.remove();
  });

  it("once: GET /api/status shows this host's real values, GPUs with their own processes, and containers", async () => {
    const data = join(tmp.path, 'data-once');
    const server = await startServer({ DATA_DIR: data, API_KEY: KEY });
    servers.push(server);
    const list = fixtureJson<{ Id: string }[]>('docker/containers-list_cgroup-v1_2-running_otel.json');
    const socketPath = join(tmp.path, 'docker.sock');
    const engine = await fakeDockerEngine(socketPath, list, {
      [list[0]!.Id]: fixtureJson('docker/container-stats_cgroup-v1_loving_torvalds_otel.json'),
    });
    const procRoot = fakeProc(tmp.path, [
      {
        pid: 100477,
        uid: 0,
        cmdline: ['llama-server', '-m', 'm.gguf'],
        cgroup: `0::/system.slice/docker-${list[0]!.Id}.scope\n`,
      },
    ]);
    const env = {
      API_ENDPOINT: server.url,
      API_KEY: KEY,
      SERVER_ALIAS: 'e2e-host',
      SPOOL_DIR: join(tmp.path, 'spool-once'),
      NVIDIA_SMI: fakeNvidiaSmi(tmp.path, { xml: 'nvidia-smi/dual-rtx-a5000_driver-590.44.01_q-x.xml' }),
      DOCKER_SOCKET: socketPath,
      PROC_ROOT: procRoot,
    };
    try {
      const { code, stderr } = await runAgent(['once'], env);
      expect(code, stderr).toBe(0);
    } finally {
      await engine.close();
    }
    const { results } = (await (await fetch(`${server.url}/api/status`)).json()) as { results: Record<string, any>[] };
    const host = results.find((r) => r.server_alias === 'e2e-host')!;
    expect(host.status).toBe('ok');
    expect([host.agent_version, host.protocol_version]).toEqual([AGENT_VERSION, PROTOCOL_VERSION]);
    expect(host.hostname).toBe(hostname());
    const memTotal = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
    expect(host.memory.total_gb).toBeCloseTo(memTotal / GIB, 1);
    expect(host.disks.find((d: { mountpoint: string }) => d.mountpoint === '/').fstype).toBe(
      /^\S+ \S+ \S+ \S+ \/ .* - (\S+)/m.exec(readFileSync('/proc/self/mountinfo', 'utf8'))![1],
    );
    expect(
      host.gpus.map((g: any) => [
        g.index,
        g.uuid,
        g.processes.map((p: any) => [p.pid, p.username, p.cmd, p.used_memory_mb, p.container]),
      ]),
    ).toEqual([
      [
        0,
        'GPU-12345678-aaaa-bbbb-cccc-0123456789ab',
        [[100477, 'root', 'llama-server -m m.gguf', 22430, 'loving_torvalds']],
      ],
      [
        1,
        'GPU-12345678-aaaa-bbbb-cccc-0123456789cd',
        [[100477, 'root', 'llama-server -m m.gguf', 17246, 'loving_torvalds']],
      ],
    ]);
    const containers = (await (await fetch(`${server.url}/api/docker/e2e-host/containers`)).json()) as {
      name: string;
      ports: string;
    }[];
    expect(containers.map((c) => [c.name, c.ports])).toEqual([
      ['loving_torvalds', '0.0.0.0:8001->8001/tcp, [::]:8001->8001/tcp'],
      ['pensive_aryabhata', '0.0.0.0:8000->8000/tcp, [::]:8000->8000/tcp'],
    ]);
  });

  it('run: reports spooled while the server is down arrive after it restarts, none lost', async () => {
    const data = join(tmp.path, 'data-run');
    const spoolDir = join(tmp.path, 'spool-run');
    let server = await startServer({ DATA_DIR: data, API_KEY: KEY });
    servers.push(server);
    const agent = startAgent(['run'], {
      API_ENDPOINT: server.url,
      API_KEY: KEY,
      SERVER_ALIAS: 'e2e-spool',
      INTERVAL: '1',
      JITTER: '0',
      RETRIES: '1',
      TIMEOUT: '2',
      SPOOL_DIR: spoolDir,
      LOG_LEVEL: 'debug',
    });
    const cycles = (sent?: boolean) =>
      agent.logs().filter((l) => l.msg === 'cycle done' && (sent === undefined || l.sent === sent));
    try {
      await agent.waitFor(() => cycles(true).length >= 2);
      await server.stop();
      await agent.waitFor(() => cycles(false).length >= 3);
      expect(readdirSync(spoolDir).filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(3);
      server = await startServer({ DATA_DIR: data, API_KEY: KEY }, server.port);
      servers.push(server);
      await agent.waitFor((logs) => logs.some((l) => l.msg === 'spool replayed'));
      await agent.waitFor(() => cycles(true).length >= 4);
    } finally {
      expect(await agent.stop()).toBe(0);
    }
    expect(readdirSync(spoolDir).filter((f) => f.endsWith('.json'))).toEqual([]);
    // Every report the agent made is in the server's history, at its own time (the raw tier
    // keeps one point per host and second, so two reports within one second are one point).
    const made = [...new Set(cycles().map((l) => Math.floor(Date.parse(String(l.timestamp)) / 1000)))];
    expect(made.length).toBeGreaterThanOrEqual(6);
    const history = (await (await fetch(`${server.url}/api/history/e2e-spool?from=-10m&metrics=cpu`)).json()) as {
      timestamps: number[];
      tier: string;
    };
    expect(history.tier).toBe('raw');
    expect(history.timestamps).toEqual(made);
  });
});
