import { describe, expect, it } from 'vitest';
import { ShutdownSteps } from '../../src/server/shutdown-steps.js';

/** A logger that keeps what it was told. */
function recordingLog() {
  const lines: { level: string; data: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (data: Record<string, unknown>, msg: string) => {
    lines.push({ level, data, msg });
  };
  return { lines, log: { info: at('info'), warn: at('warn') } as never };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('shutdown steps', () => {
  it('names each step, and warns with the open connections while one keeps waiting', async () => {
    const { lines, log } = recordingLog();
    const steps = new ShutdownSteps(log, async () => 2, 20);
    await steps.run('quick', () => sleep(1));
    await steps.run('slow', () => sleep(90));
    steps.done();
    await sleep(50); // nothing more once every step has finished
    expect(lines.filter((l) => l.msg === 'shutdown step').map((l) => l.data.step)).toEqual(['quick', 'slow']);
    const waits = lines.filter((l) => l.level === 'warn');
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (const w of waits) expect(w.data).toMatchObject({ step: 'slow', connections: 2 });
    expect(lines.at(-1)!.msg).toBe('shut down');
  });

  it('stops reporting a step that failed, and lets the failure through', async () => {
    const { lines, log } = recordingLog();
    const steps = new ShutdownSteps(log, async () => 0, 10);
    await expect(
      steps.run('broken', async () => {
        throw new Error('disk gone');
      }),
    ).rejects.toThrow('disk gone');
    await sleep(40);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });
});
