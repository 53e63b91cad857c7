import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseProcStat, busyPercent, CpuCollector } from '../../src/agent/collectors/cpu.js';
import { parseMeminfo, usedBytes } from '../../src/agent/collectors/memory.js';
import { parseMountinfo, selectMounts } from '../../src/agent/collectors/disks.js';
import { defaultRouteInterface, prettyName } from '../../src/agent/collectors/host.js';

describe('collector parsers', () => {
  it('reads the real /proc/stat: one counter per core, busy counts every non-idle column', () => {
    const sample = parseProcStat(readFileSync('/proc/stat', 'utf8'));
    expect(sample.cores).toHaveLength(cpus().length);
    const prev = parseProcStat('cpu  100 0 100 700 100 0 0 0 0 0\n');
    // +50 user, +10 nice, +20 system, +10 irq, +10 steal; +80 idle, +20 iowait: 100 busy of 200.
    const next = parseProcStat('cpu  150 10 120 780 120 10 0 10 0 0\n');
    expect(busyPercent(prev.all, next.all)).toBe(50);
  });

  it('per-core percents cover the interval since the previous cycle', async () => {
    const cpu = new CpuCollector({ procStat: '/proc/stat', procLoadavg: '/proc/loadavg', perCore: true });
    const first = await cpu.collect(50);
    expect(first.per_core).toHaveLength(cpus().length);
    for (const p of [first.percent, ...first.per_core!]) expect(p).toBeGreaterThanOrEqual(0);
    for (const p of [first.percent, ...first.per_core!]) expect(p).toBeLessThanOrEqual(100);
  });

  it('memory "used" leaves out cache and buffers, like free', () => {
    const info = parseMeminfo(
      'MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    9000000 kB\nBuffers:          500000 kB\nCached:          6000000 kB\n',
    );
    expect(usedBytes(info)).toBe((16000000 - 9000000) * 1024);
    // Before kernel 3.14 there is no MemAvailable: total - free - buffers - cached - SReclaimable.
    const old = parseMeminfo(
      'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 300 kB\nSReclaimable: 50 kB\n',
    );
    expect(usedBytes(old)).toBe(500 * 1024);
  });

  it('keeps real filesystems once each: no pseudo filesystems, loop devices or bind mounts', () => {
    const mountinfo = [
      '21 26 0:20 / /proc rw,relatime - proc proc rw',
      '26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
      '27 26 259:2 / /boot/efi rw,relatime - vfat /dev/nvme0n1p1 rw',
      '28 26 254:0 /srv/data /data rw,relatime - ext4 /dev/vda rw,discard',
      '29 26 7:3 / /snap/core22/1380 ro,nodev,relatime - squashfs /dev/loop3 ro',
      '30 26 7:4 / /mnt/image ro,relatime - ext4 /dev/loop4 ro',
      '31 26 0:50 / /home rw,relatime - zfs tank/home rw,xattr',
      '32 26 0:51 / /var/lib/docker/overlay2/abc/merged rw,relatime - overlay overlay rw,lowerdir=/x',
      '33 26 0:52 / /mnt/nfs rw,relatime - nfs4 fs1:/export rw',
      '34 26 254:1 / /mnt/with\\040space rw,relatime - xfs /dev/vdb rw',
      '35 23 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw',
    ].join('\n');
    const picked = selectMounts(parseMountinfo(mountinfo)).map((m) => [m.mountpoint, m.fstype]);
    expect(picked).toEqual([
      ['/', 'ext4'],
      ['/boot/efi', 'vfat'],
      ['/home', 'zfs'],
      ['/mnt/with space', 'xfs'],
    ]);
    expect(selectMounts(parseMountinfo(mountinfo), true).map((m) => m.mountpoint)).toContain('/mnt/nfs');
  });

  it('finds the default route interface and the OS pretty name', () => {
    const route =
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
      'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n' +
      'eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n';
    expect(defaultRouteInterface(route)).toBe('eth0');
    expect(prettyName('NAME="Ubuntu"\nPRETTY_NAME="Ubuntu 22.04.3 LTS"\n')).toBe('Ubuntu 22.04.3 LTS');
  });
});
