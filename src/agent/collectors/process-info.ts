/**
 * Who owns a process and what it runs, from /proc: the user is the owner of
 * /proc/<pid> (names from /etc/passwd), the command is /proc/<pid>/cmdline,
 * and the container comes from /proc/<pid>/cgroup, which names the container
 * id for Docker (cgroup v1 and v2, cgroupfs and systemd drivers), Podman,
 * containerd and CRI-O.
 */
import { statSync } from 'node:fs';
import { readTextOr } from './read-text.js';
import { LIMITS } from '../../contract/limits.js';

/** What /proc says about one process. */
export interface ProcessInfo {
  username: string;
  cmd: string;
  containerId: string | null;
}

/** Maps uid → user name from passwd text. */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid)) out.set(Number(uid), name);
  }
  return out;
}

/** The 12-character container id in /proc/<pid>/cgroup text, if the process runs in a container. */
export function containerIdFromCgroup(text: string): string | null {
  let found: string | null = null;
  for (const line of text.split('\n')) {
    const path = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
    const m = /(?:docker|libpod|cri-containerd|crio|containerd|kubepods)[^\n]*?([0-9a-f]{64})/.exec(path);
    if (m) found = m[1]!;
  }
  return found ? found.slice(0, 12) : null;
}

/** Reads /proc/<pid> under `procRoot`; returns null when the process is gone or invisible. */
export async function processInfo(
  procRoot: string,
  pid: number,
  users: Map<number, string>,
): Promise<ProcessInfo | null> {
  const dir = `${procRoot}/${pid}`;
  let uid: number;
  try {
    uid = statSync(dir).uid;
  } catch {
    return null;
  }
  const cmdline = readTextOr(`${dir}/cmdline`, '');
  const cgroup = readTextOr(`${dir}/cgroup`, '');
  return {
    username: users.get(uid) ?? String(uid),
    cmd: cmdline.replace(/\0+$/, '').replace(/\0/g, ' ').trim().slice(0, LIMITS.longString),
    containerId: containerIdFromCgroup(cgroup),
  };
}
