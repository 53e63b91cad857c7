/**
 * Real mounted filesystems with their real type, from /proc/self/mountinfo
 * (the original agent called everything "ext4"). Pseudo filesystems, loop
 * devices (snaps, images) and second mounts of the same device (bind mounts,
 * btrfs subvolumes sharing one pool) are skipped, so each pool of space is
 * counted once. Network filesystems are skipped unless asked for: a hung NFS
 * server would block statfs for good.
 */
import { statfs } from 'node:fs/promises';
import { readText } from './read-text.js';
import type { DiskReport } from '../../contract/index.js';

/** One line of mountinfo, the fields the agent uses. */
export interface MountEntry {
  device: string;
  root: string;
  mountpoint: string;
  fstype: string;
  source: string;
}

const PSEUDO = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'tmpfs',
  'ramfs',
  'cgroup',
  'cgroup2',
  'securityfs',
  'pstore',
  'bpf',
  'debugfs',
  'tracefs',
  'configfs',
  'fusectl',
  'mqueue',
  'hugetlbfs',
  'autofs',
  'binfmt_misc',
  'rpc_pipefs',
  'nsfs',
  'efivarfs',
  'selinuxfs',
  'nfsd',
  'squashfs',
  'iso9660',
  'fuse.lxcfs',
  'fuse.gvfsd-fuse',
  'fuse.portal',
  'fuse.snapfuse',
  'overlay',
  'aufs',
  'shm',
  'devfs',
  'zram',
]);
const NETWORK = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  'fuse.sshfs',
  '9p',
  'ceph',
  'glusterfs',
  'fuse.glusterfs',
  'lustre',
]);

/** Undoes mountinfo's octal escapes (`\040` is a space). */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Parses /proc/self/mountinfo text. */
export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split(' ');
    const dash = parts.indexOf('-', 6);
    if (dash < 0 || parts.length < dash + 3) continue;
    out.push({
      device: parts[2]!,
      root: unescape(parts[3]!),
      mountpoint: unescape(parts[4]!),
      fstype: parts[dash + 1]!,
      source: unescape(parts[dash + 2]!),
    });
  }
  return out;
}

/** The mounts worth reporting: real filesystems, one mount per device. */
export function selectMounts(entries: MountEntry[], includeNetwork = false): MountEntry[] {
  const byDevice = new Map<string, MountEntry>();
  for (const e of entries) {
    // Inside a container the root itself is an overlay; that one is real space.
    if (PSEUDO.has(e.fstype) && e.mountpoint !== '/') continue;
    if (NETWORK.has(e.fstype) && !includeNetwork) continue;
    if (e.source.startsWith('/dev/loop')) continue;
    const key = NETWORK.has(e.fstype) ? `${e.device}:${e.source}` : e.device;
    const seen = byDevice.get(key);
    // Keep the mount of the filesystem's own root over a bind mount of a subfolder.
    if (!seen || (seen.root !== '/' && e.root === '/')) byDevice.set(key, e);
  }
  return [...byDevice.values()];
}

const GIB = 1024 ** 3;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Sizes of one mount as `df` shows them: percent is used / (used + available). */
export async function diskUsage(entry: MountEntry): Promise<DiskReport> {
  const s = await statfs(entry.mountpoint);
  const total = s.blocks * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const avail = s.bavail * s.bsize;
  return {
    mountpoint: entry.mountpoint,
    fstype: entry.fstype,
    total_gb: round2(total / GIB),
    used_gb: round2(used / GIB),
    free_gb: round2(avail / GIB),
    percent: used + avail > 0 ? Math.round((used / (used + avail)) * 1000) / 10 : 0,
  };
}

/** Lists real mounts and their usage; a mount that cannot be read is left out. */
export async function collectDisks(mountinfo = '/proc/self/mountinfo', includeNetwork = false): Promise<DiskReport[]> {
  const mounts = selectMounts(parseMountinfo(readText(mountinfo)), includeNetwork);
  const results = await Promise.allSettled(mounts.map(diskUsage));
  return results.flatMap((r) => (r.status === 'fulfilled' && r.value.total_gb > 0 ? [r.value] : []));
}
