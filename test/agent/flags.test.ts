/** The agent's Node flags: the bin/ launcher runs with the unit's, and a process started that way works. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { unitNodeFlags } from './helpers/unit-flags.js';
import { ISOLATED } from './helpers/agent-process.js';

const BIN = fileURLToPath(new URL('../../bin/fleetwatch-agent.js', import.meta.url));

describe('agent Node flags', () => {
  it('the unit runs node with memory flags, and bin/fleetwatch-agent.js has the same ones', () => {
    const flags = unitNodeFlags();
    expect(flags).toContain('--lite-mode');
    const shebang = readFileSync(BIN, 'utf8').split('\n')[0]!;
    expect(shebang.startsWith('#!/usr/bin/env -S node ')).toBe(true);
    expect(shebang.split(/\s+/).slice(3)).toEqual(flags);
  });

  it('the launcher, run as the kernel runs it, starts the agent, and node prints no warning about the flags', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      // once --print with LOG_LEVEL=debug: the report on stdout, and whatever node says on stderr.
      execFile(
        BIN,
        ['once', '--print'],
        { env: { PATH: process.env.PATH, ...ISOLATED, LOG_LEVEL: 'debug', NODE_DEBUG: '' }, timeout: 30_000 },
        (err, out, errText) => resolve({ code: err ? 1 : 0, stdout: out, stderr: errText }),
      );
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).agent_version).toBeTruthy();
    // Every stderr line is one of the agent's JSON log lines: no V8 warning about conflicting flags.
    for (const line of stderr.split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
  });
});
