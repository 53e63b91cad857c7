/** The long-running `nvidia-smi -q -x -l` reader, against fake nvidia-smis replaying real -q -x outputs. */
import { describe, it, expect, afterEach } from 'vitest';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { NvidiaSmiStream } from '../../src/agent/collectors/gpu-stream.js';
import { GpuCollector } from '../../src/agent/collectors/gpu.js';
import { parseNvidiaSmiXml } from '../../src/agent/collectors/gpu-xml.js';
import { LogOnce } from '../../src/agent/log-once.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture, FIXTURES } from './helpers/fixtures.js';
import { fakeNvidiaSmi, brokenNvidiaSmi, DRIVER_FAILURE } from './helpers/fake-host.js';

const A5000 = 'nvidia-smi/dual-rtx-a5000_driver-590.44.01_q-x.xml';
const T4 = 'nvidia-smi/tesla-t4_driver-515.105.01_q-x.xml';

function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function recordingLog() {
  const lines: { level: string; data: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (data: Record<string, unknown>, msg: string) => {
    lines.push({ level, data, msg });
  };
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } as never };
}

const until = async (predicate: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('long-running nvidia-smi reader', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });
  const dir = () => {
    const d = tempDir('fw-gpu-stream-');
    cleanups.push(d.remove);
    return d.path;
  };
  const stream = (nvidiaSmi: string, restartMs = 50) => {
    const s = new NvidiaSmiStream({ nvidiaSmi, periodSeconds: 1, restartMs, maxRestartMs: 400 });
    cleanups.push(() => s.close());
    return s;
  };

  it('parses every document one process prints, split across pipe reads, without restarting it', async () => {
    // The A5000 document is 94 KB: it reaches the agent in more than one read of the pipe.
    const s = stream(fakeNvidiaSmi(dir(), { xml: A5000 }));
    const first = await s.samples(10_000, 10_000);
    expect(first).toEqual(parseNvidiaSmiXml(fixture(A5000)));
    // Two seconds later a newer document has replaced it, from the same process.
    await new Promise((r) => setTimeout(r, 2200));
    const later = await s.samples(1500, 10_000);
    expect(later).toEqual(first);
    expect(s.starts).toBe(1);
    expect(s.running).toBe(true);
  });

  it('takes the last of several documents that arrive in one read', async () => {
    const d = dir();
    const both = join(d, 'both.xml');
    writeFileSync(both, fixture(A5000) + fixture(T4));
    const s = stream(script(d, 'nvidia-smi', `cat '${both}'; exec sleep 30 >/dev/null`));
    await s.samples(10_000, 10_000);
    // Both documents are in by now, whatever the reads that brought them.
    await new Promise((r) => setTimeout(r, 500));
    await expect(s.samples(10_000, 10_000)).resolves.toEqual(parseNvidiaSmiXml(fixture(T4)));
    expect(s.starts).toBe(1);
  });

  it('starts nvidia-smi again when it exits', async () => {
    // Prints one document and exits, as a crashed nvidia-smi would.
    const s = stream(script(dir(), 'nvidia-smi', `cat '${FIXTURES}${T4}'`));
    expect(await s.samples(10_000, 10_000)).toEqual(parseNvidiaSmiXml(fixture(T4)));
    await until(() => !s.running);
    // The document it left is still fresh; the next call starts a new process.
    await s.samples(10_000, 10_000);
    await until(() => s.starts === 2);
  });

  it('backs off when nvidia-smi dies without a document, and reports nothing', async () => {
    const s = stream(brokenNvidiaSmi(dir()), 200);
    expect(await s.samples(10_000, 10_000)).toBeUndefined();
    await until(() => !s.running);
    // Within the backoff no new process is started.
    expect(await s.samples(10_000, 10)).toBeUndefined();
    expect(s.starts).toBe(1);
    await new Promise((r) => setTimeout(r, 450));
    expect(await s.samples(10_000, 10_000)).toBeUndefined();
    expect(s.starts).toBe(2);
  });

  it('ignores a stale document: a process that stops printing is killed and restarted', async () => {
    const s = stream(script(dir(), 'nvidia-smi', `cat '${FIXTURES}${T4}'; exec sleep 30 >/dev/null`));
    expect(await s.samples(10_000, 10_000)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    // Older than allowed: nothing, and the silent process goes.
    expect(await s.samples(100, 10_000)).toBeUndefined();
    await until(() => !s.running);
    expect(await s.samples(10_000, 10_000)).toHaveLength(1);
    expect(s.starts).toBe(2);
  });

  it('close() stops the process', async () => {
    const s = stream(fakeNvidiaSmi(dir(), { xml: T4 }));
    await s.samples(10_000, 10_000);
    expect(s.running).toBe(true);
    s.close();
    await until(() => !s.running);
    expect(await s.samples(10_000, 10)).toBeDefined();
    expect(s.starts).toBe(1);
  });
});

describe('GPU collector of the run loop', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });
  const setup = () => {
    const d = tempDir('fw-gpu-loop-');
    cleanups.push(d.remove);
    const passwd = join(d.path, 'passwd');
    writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\n');
    return { dir: d.path, passwd };
  };
  const collector = (source: ConstructorParameters<typeof GpuCollector>[0], once: LogOnce) => {
    const c = new GpuCollector(source, once, { periodSeconds: 1, restartMs: 50 });
    cleanups.push(() => c.close());
    return c;
  };

  it('reads every cycle from one nvidia-smi process', async () => {
    const { dir, passwd } = setup();
    const { log, lines } = recordingLog();
    const c = collector(
      { nvidiaSmi: fakeNvidiaSmi(dir, { xml: T4 }), mode: 'xml', procRoot: '/proc', passwd, timeoutMs: 10_000 },
      new LogOnce(log, 'nvidia-smi'),
    );
    for (let i = 0; i < 3; i++) {
      const gpus = await c.collect();
      expect(gpus.map((g) => [g.name, g.processes.map((p) => [p.pid, p.cmd, p.used_memory_mb])])).toEqual([
        [
          'Tesla T4',
          [
            [675, '/usr/lib/xorg/Xorg', 22],
            [5762, 'python', 1005],
          ],
        ],
      ]);
    }
    expect(c.streamStarts).toBe(1);
    expect(lines).toEqual([]);
  });

  it('a broken driver: no GPUs, the per-cycle reason logged once, and no restart storm', async () => {
    const { dir, passwd } = setup();
    const { log, lines } = recordingLog();
    const nvidiaSmi = brokenNvidiaSmi(dir);
    const c = new GpuCollector(
      { nvidiaSmi, mode: 'xml', procRoot: '/proc', passwd, timeoutMs: 10_000 },
      new LogOnce(log, 'nvidia-smi'),
      { periodSeconds: 1, restartMs: 60_000 },
    );
    cleanups.push(() => c.close());
    for (let i = 0; i < 3; i++) expect(await c.collect()).toEqual([]);
    expect(lines.map((l) => l.data.reason)).toEqual([`${nvidiaSmi} exited with 9: ${DRIVER_FAILURE}`]);
    expect(c.streamStarts).toBe(1);
  });

  it('csv mode keeps one run per cycle (no stream)', async () => {
    const { passwd } = setup();
    const { log, lines } = recordingLog();
    const c = collector(
      { nvidiaSmi: '/nonexistent/nvidia-smi', mode: 'csv', procRoot: '/proc', passwd, timeoutMs: 5000 },
      new LogOnce(log, 'nvidia-smi'),
    );
    expect(await c.collect()).toEqual([]);
    expect(c.streamStarts).toBe(0);
    expect(lines.map((l) => l.data.reason)).toEqual(['/nonexistent/nvidia-smi not found']);
  });
});
