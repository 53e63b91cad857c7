import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { collectGpus, enrichGpus } from '../../src/agent/collectors/gpu.js';
import { parseNvidiaSmiXml } from '../../src/agent/collectors/gpu-xml.js';
import { containerIdFromCgroup } from '../../src/agent/collectors/process-info.js';
import { LogOnce } from '../../src/agent/log-once.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture, captureSections } from './helpers/fixtures.js';
import { fakeNvidiaSmi, brokenNvidiaSmi, fakeProc, DRIVER_FAILURE } from './helpers/fake-host.js';

const CONTAINER = '89d28931fd8b95c8806343a532e9e76bf0a0b76ee8f19452b8f75dee1ebcebb7';

function recordingLog() {
  const lines: { level: string; data: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (data: Record<string, unknown>, msg: string) => {
    lines.push({ level, data, msg });
  };
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } as never };
}

describe('GPU collector with a fake nvidia-smi replaying real outputs', () => {
  const dirs: { remove: () => void }[] = [];
  afterEach(() => {
    dirs.splice(0).forEach((d) => d.remove());
  });
  const setup = () => {
    const d = tempDir('fw-gpu-');
    dirs.push(d);
    const passwd = join(d.path, 'passwd');
    writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n');
    return { dir: d.path, passwd };
  };

  it('attaches each process to its own GPU with user, command line and container', async () => {
    const { dir, passwd } = setup();
    const procRoot = fakeProc(dir, [
      {
        pid: 100477,
        uid: 1000,
        cmdline: ['/root/src/llama.cpp/build/bin/llama-server', '-m', 'model.gguf'],
        cgroup: `0::/system.slice/docker-${CONTAINER}.scope\n`,
      },
    ]);
    const nvidiaSmi = fakeNvidiaSmi(dir, { xml: 'nvidia-smi/dual-rtx-a5000_driver-590.44.01_q-x.xml' });
    const { log, lines } = recordingLog();
    const gpus = await collectGpus(
      { nvidiaSmi, mode: 'xml', procRoot, passwd, timeoutMs: 10_000 },
      new LogOnce(log, 'nvidia-smi'),
    );
    expect(gpus).toHaveLength(2);
    expect(gpus.map((g) => g.processes)).toEqual([
      [
        {
          pid: 100477,
          username: 'alice',
          cmd: '/root/src/llama.cpp/build/bin/llama-server -m model.gguf',
          used_memory_mb: 22430,
          type: 'C',
          container: CONTAINER.slice(0, 12),
        },
      ],
      [
        {
          pid: 100477,
          username: 'alice',
          cmd: '/root/src/llama.cpp/build/bin/llama-server -m model.gguf',
          used_memory_mb: 17246,
          type: 'C',
          container: CONTAINER.slice(0, 12),
        },
      ],
    ]);
    expect(lines).toEqual([]);
  });

  it('csv mode matches compute processes to GPUs by uuid (MIG: the parent GPU)', async () => {
    const { dir, passwd } = setup();
    const procRoot = fakeProc(dir, [{ pid: 21198, uid: 0, cmdline: ['./gpu_burn', '60'] }]);
    const capture = captureSections(fixture('nvidia-smi/h100-80gb-hbm3_mig_driver-590.48.01_capture.txt'));
    const queryGpu = join(dir, 'query-gpu.csv');
    writeFileSync(queryGpu, capture.get('load :: query-gpu (csv, what the exporter parses)')!);
    const nvidiaSmi = fakeNvidiaSmi(dir, {
      queryGpu,
      computeApps: 'nvidia-smi/h100-80gb-hbm3_mig_driver-590.48.01_query-compute-apps_load.csv',
    });
    const gpus = await collectGpus(
      { nvidiaSmi, mode: 'csv', procRoot, passwd, timeoutMs: 10_000 },
      new LogOnce(recordingLog().log, 'gpu'),
    );
    expect(gpus).toHaveLength(1);
    expect(gpus[0]!.processes.map((p) => [p.pid, p.username, p.cmd, p.used_memory_mb])).toEqual([
      [21180, 'unknown', '/root/tools/memhog', 2296],
      [21181, 'unknown', '/root/tools/memhog', 1272],
      [21198, 'root', './gpu_burn 60', 7484],
    ]);
  });

  it("a process that is gone (or in another pid namespace) keeps nvidia-smi's name", async () => {
    const { dir, passwd } = setup();
    const samples = parseNvidiaSmiXml(fixture('nvidia-smi/tesla-t4_driver-515.105.01_q-x.xml'));
    const [t4] = await enrichGpus(samples, { procRoot: fakeProc(dir, []), passwd });
    expect(t4!.processes.map((p) => [p.pid, p.username, p.cmd, p.container])).toEqual([
      [675, 'unknown', '/usr/lib/xorg/Xorg', null],
      [5762, 'unknown', 'python', null],
    ]);
  });

  it('reads a real process from the real /proc', async () => {
    const child = spawn('sleep', ['30']);
    try {
      const samples = [
        {
          ...parseNvidiaSmiXml(fixture('nvidia-smi/tesla-t4_driver-515.105.01_q-x.xml'))[0]!,
          processes: [{ pid: child.pid!, type: 'C', name: 'sleep', used_memory_mb: 5 }],
        },
      ];
      const [g] = await enrichGpus(samples, { procRoot: '/proc', passwd: '/etc/passwd' });
      expect(g!.processes[0]).toMatchObject({ pid: child.pid, cmd: 'sleep 30', username: userInfo().username });
    } finally {
      child.kill();
    }
  });

  it('a broken driver gives no GPUs and one log line with the reason, however many cycles', async () => {
    const { dir, passwd } = setup();
    const { log, lines } = recordingLog();
    const once = new LogOnce(log, 'nvidia-smi');
    const source = {
      nvidiaSmi: brokenNvidiaSmi(dir),
      mode: 'xml' as const,
      procRoot: '/proc',
      passwd,
      timeoutMs: 10_000,
    };
    for (let i = 0; i < 3; i++) expect(await collectGpus(source, once)).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.data.reason).toBe(`${source.nvidiaSmi} exited with 9: ${DRIVER_FAILURE}`);
    // When it works again, that is logged once too.
    await collectGpus(
      { ...source, nvidiaSmi: fakeNvidiaSmi(dir, { xml: 'nvidia-smi/rtx-4090_driver-535.86.05_q-x.xml' }) },
      once,
    );
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info']);
  });

  it('a host without nvidia-smi gives no GPUs and says so once', async () => {
    const { log, lines } = recordingLog();
    const once = new LogOnce(log, 'nvidia-smi');
    const source = {
      nvidiaSmi: '/nonexistent/nvidia-smi',
      mode: 'xml' as const,
      procRoot: '/proc',
      passwd: '/etc/passwd',
      timeoutMs: 5000,
    };
    expect(await collectGpus(source, once)).toEqual([]);
    expect(await collectGpus(source, once)).toEqual([]);
    expect(lines.map((l) => l.data.reason)).toEqual(['/nonexistent/nvidia-smi not found']);
  });

  it('finds the container in cgroup v1, v2, Podman and containerd paths', () => {
    const id = CONTAINER;
    expect(containerIdFromCgroup(`12:memory:/docker/${id}\n1:name=systemd:/docker/${id}\n`)).toBe(id.slice(0, 12));
    expect(containerIdFromCgroup(`0::/system.slice/docker-${id}.scope\n`)).toBe(id.slice(0, 12));
    expect(containerIdFromCgroup(`0::/machine.slice/libpod-${id}.scope/container\n`)).toBe(id.slice(0, 12));
    expect(
      containerIdFromCgroup(
        `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2.slice/cri-containerd-${id}.scope\n`,
      ),
    ).toBe(id.slice(0, 12));
    expect(containerIdFromCgroup('0::/user.slice/user-1000.slice/session-3.scope\n')).toBeNull();
  });
});
