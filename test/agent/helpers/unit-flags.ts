/** The Node flags the systemd unit runs the agent with, read from deploy/fleetwatch-agent.service. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const UNIT = fileURLToPath(new URL('../../../deploy/fleetwatch-agent.service', import.meta.url));

/** The `--flags` between `node` and the script in the unit's ExecStart. */
export function unitNodeFlags(unitText = readFileSync(UNIT, 'utf8')): string[] {
  const exec = /^ExecStart=(.*)$/m.exec(unitText)?.[1];
  if (!exec) throw new Error('no ExecStart in the unit');
  const words = exec.trim().split(/\s+/);
  const node = words.findIndex((w) => w === 'node' || w.endsWith('/node'));
  const flags: string[] = [];
  for (const w of words.slice(node + 1)) {
    if (!w.startsWith('--')) break;
    flags.push(w);
  }
  return flags;
}
