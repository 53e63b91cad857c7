/** The bundled CLI on this machine: once --print against /proc and df, flags, config files, help. */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, chmodSync, chownSync, copyFileSync } from 'node:fs';
import { hostname, cpus } from 'node:os';
import { join } from 'node:path';
import { AGENT, runAgent } from './helpers/agent-process.js';
import { fakeDockerEngine } from './helpers/fake-host.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixtureJson } from './helpers/fixtures.js';
import Value from 'typebox/value';
import { NormalizedReportSchema, PROTOCOL_VERSION } from '../../src/contract/index.js';

const GIB = 1024 ** 3;

describe('fleetwatch-agent CLI (bundle)', () => {
  const tmp = tempDir('fw-cli-');
  afterAll(() => tmp.remove());

  it("once --print matches this machine's /proc and df", async () => {
    const { code, stdout } = await runAgent(['once', '--print']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    // The agent sends the normalized report the server stores, naming its protocol.
    expect(
      Value.Check(NormalizedReportSchema, report),
      JSON.stringify(Value.Errors(NormalizedReportSchema, report)),
    ).toBe(true);
    expect(report.protocol_version).toBe(PROTOCOL_VERSION);
    expect(report.hostname).toBe(hostname());
    expect(report.server_alias).toBe(hostname());
    expect(report.cpu.per_core).toHaveLength(cpus().length);

    const free = execFileSync('free', ['-b']).toString().split('\n')[1]!.trim().split(/\s+/).map(Number);
    expect(report.memory.total_gb).toBeCloseTo(free[1]! / GIB, 1);
    // Memory moves between the two reads; within 0.3 GiB.
    expect(Math.abs(report.memory.used_gb - free[2]! / GIB)).toBeLessThan(0.3);

    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    expect(Math.abs(report.uptime_seconds - uptime)).toBeLessThan(10);
    const os = execFileSync('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']).toString().trim();
    expect(report.os).toBe(os);

    const df = execFileSync('df', [
      '-B1',
      '--output=target,fstype,size,used,avail',
      '-x',
      'tmpfs',
      '-x',
      'devtmpfs',
      '-x',
      'overlay',
      '-x',
      'squashfs',
    ])
      .toString()
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/));
    expect(report.disks.length).toBeGreaterThan(0);
    for (const disk of report.disks) {
      const row = df.find((r) => r[0] === disk.mountpoint);
      expect(row, disk.mountpoint).toBeDefined();
      expect(disk.fstype).toBe(row![1]);
      expect(disk.total_gb).toBeCloseTo(Number(row![2]) / GIB, 1);
      expect(Math.abs(disk.used_gb - Number(row![3]) / GIB)).toBeLessThan(0.5);
      expect(Math.abs(disk.free_gb - Number(row![4]) / GIB)).toBeLessThan(0.5);
    }
    expect(report.disks.map((d: { mountpoint: string }) => d.mountpoint)).toContain('/');
    // No GPU or Docker on this machine: empty lists, not errors.
    expect(report.gpus).toEqual([]);
    expect(report.containers).toEqual([]);
    expect(new Date(report.timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("reads the original agent's config.env as is; flags win over it", async () => {
    const file = join(tmp.path, 'config.env');
    writeFileSync(
      file,
      [
        '# config.env of the original agent',
        'API_ENDPOINT="http://monitor:8000"',
        'API_KEY="abc"',
        'SERVER_ALIAS="gpu-box-7"',
        'MACHINE_TYPE="vm"',
        'GROUP="lab"',
        'LABELS="gpu,nvidia, ml"',
        '',
      ].join('\n'),
    );
    const { stdout } = await runAgent(['once', '--print', '--config', file, '--group', 'night-shift']);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      server_alias: 'gpu-box-7',
      machine_type: 'vm',
      group: 'night-shift',
      labels: ['gpu', 'nvidia', 'ml'],
    });
    // The environment sits between the file and the flags.
    const viaEnv = JSON.parse((await runAgent(['once', '--print', '--config', file], { MACHINE_TYPE: 'host' })).stdout);
    expect(viaEnv.machine_type).toBe('host');
  });

  it('a bad value fails fast and names the variable', async () => {
    const { code, stderr } = await runAgent(['once', '--print', '--interval', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toContain('INTERVAL must be a number');
  });

  it('--help lists the commands and every variable; --version prints the package version', async () => {
    const help = await runAgent(['--help']);
    expect(help.code).toBe(0);
    for (const word of ['run', 'once --print', 'check', '--api-endpoint', 'API_KEY', 'SPOOL_MAX_MB'])
      expect(help.stdout).toContain(word);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect((await runAgent(['--version'])).stdout.trim()).toBe(pkg.version);
    const unknown = await runAgent(['launch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "launch"');
  });

  it('once without API_ENDPOINT says what is missing', async () => {
    const { code, stderr } = await runAgent(['once']);
    expect(code).toBe(2);
    expect(stderr).toContain('API_ENDPOINT is not set');
  });

  it('reports containers from the Docker socket, and none (with the reason) when the socket is not its to read', async () => {
    const socketPath = join(tmp.path, 'docker.sock');
    const list = fixtureJson<{ Id: string }[]>('docker/containers-list_cgroup-v2_1-running_otel.json');
    const engine = await fakeDockerEngine(socketPath, list, {
      [list[0]!.Id]: fixtureJson('docker/container-stats_cgroup-v2_oom-limited_first-sample_otel.json'),
    });
    try {
      const ok = JSON.parse((await runAgent(['once', '--print', '--docker-socket', socketPath])).stdout);
      expect(ok.containers.map((c: { name: string }) => c.name)).toEqual(['compassionate_mcnulty']);
      // A user outside the docker group: the socket is root's, mode 0600.
      chmodSync(tmp.path, 0o755);
      chownSync(socketPath, 0, 0);
      chmodSync(socketPath, 0o600);
      // nobody runs a copy beside the socket: the checkout may sit where only root can enter (/root, a mktemp -d).
      const bundle = join(tmp.path, 'fleetwatch-agent.mjs');
      copyFileSync(AGENT, bundle);
      chmodSync(bundle, 0o644);
      const nobody = await runAgent(
        ['once', '--print', '--docker-socket', socketPath],
        {},
        {
          uid: 65534,
          gid: 65534,
          bundle,
        },
      );
      expect(JSON.parse(nobody.stdout).containers).toEqual([]);
      expect(nobody.stderr).toContain('permission denied');
    } finally {
      await engine.close();
    }
  });
});
