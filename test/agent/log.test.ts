/** The agent's log lines: pino's shape, timed in ISO 8601 like the server's. */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/agent/log.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('agent log', () => {
  const tmp = tempDir('fw-agent-log-');
  afterAll(() => tmp.remove());

  it('writes one JSON line with an ISO 8601 time, level, name, data and msg', () => {
    const file = join(tmp.path, 'agent.log');
    const fd = openSync(file, 'w');
    createLogger('info', fd).warn({ attempt: 2 }, 'send failed');
    createLogger('info', fd).debug({}, 'below the level');
    closeSync(fd);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 40, name: 'fleetwatch-agent', attempt: 2, msg: 'send failed' });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
