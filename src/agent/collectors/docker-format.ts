/**
 * Docker Engine API answers turned into what `docker ps` and `docker stats`
 * show: ports grouped into ranges, CPU percent over the sampling window
 * (100% is one core), and memory without the page cache.
 */

/** A port entry of GET /containers/json. */
export interface ApiPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

/** The parts of GET /containers/{id}/stats the agent reads (cgroup v1 and v2). */
export interface ApiStats {
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}
/** CPU counters of one stats sample. */
export interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** Byte-wise, as Go compares strings (locale order would put "::" before "0.0.0.0"). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const comparePorts = (a: ApiPort, b: ApiPort) =>
  a.PrivatePort - b.PrivatePort ||
  (a.PublicPort ?? 0) - (b.PublicPort ?? 0) ||
  cmp(a.Type, b.Type) ||
  cmp(a.IP ?? '', b.IP ?? '');

const range = (start: number, end: number) => (start === end ? `${start}` : `${start}-${end}`);
const host = (ip: string) => (ip.includes(':') ? `[${ip}]` : ip);

/** Ports as `docker ps` prints them, e.g. "0.0.0.0:8000-8001->8000-8001/tcp, [::]:8000-8001->8000-8001/tcp, 53/udp". */
export function formatPorts(ports: ApiPort[] | null | undefined): string {
  interface Group {
    ip: string;
    type: string;
    published: boolean;
    priv: [number, number];
    pub: [number, number];
  }
  const groups: Group[] = [];
  const last = new Map<string, Group>();
  for (const p of [...(ports ?? [])].sort(comparePorts)) {
    const published = Boolean(p.PublicPort);
    const key = `${p.IP ?? ''}|${p.Type}|${published}`;
    const g = last.get(key);
    const pub = p.PublicPort ?? 0;
    if (g && g.priv[1] + 1 === p.PrivatePort && (!published || g.pub[1] + 1 === pub)) {
      g.priv[1] = p.PrivatePort;
      g.pub[1] = pub;
      continue;
    }
    const next: Group = {
      ip: p.IP ?? '',
      type: p.Type,
      published,
      priv: [p.PrivatePort, p.PrivatePort],
      pub: [pub, pub],
    };
    groups.push(next);
    last.set(key, next);
  }
  return groups
    .map((g) =>
      g.published
        ? `${g.ip ? `${host(g.ip)}:` : ''}${range(...g.pub)}->${range(...g.priv)}/${g.type}`
        : `${range(...g.priv)}/${g.type}`,
    )
    .join(', ');
}

/** CPU percent between two samples as `docker stats` computes it; 0 without a usable previous sample. */
export function cpuPercent(cur: CpuStats | undefined, prev: CpuStats | undefined): number {
  const cpuDelta = (cur?.cpu_usage?.total_usage ?? 0) - (prev?.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cur?.system_cpu_usage ?? 0) - (prev?.system_cpu_usage ?? 0);
  if (!prev?.system_cpu_usage || cpuDelta <= 0 || sysDelta <= 0) return 0;
  const cpus = cur?.online_cpus || cur?.cpu_usage?.percpu_usage?.length || 1;
  return Math.round((cpuDelta / sysDelta) * cpus * 100 * 100) / 100;
}

/** Memory in MiB without the page cache (v1: total_inactive_file, v2: inactive_file), as `docker stats`. */
export function memoryMb(mem: ApiStats['memory_stats']): number {
  const usage = mem?.usage ?? 0;
  const stats = mem?.stats ?? {};
  let used = usage;
  if (stats.total_inactive_file !== undefined && stats.total_inactive_file < usage)
    used = usage - stats.total_inactive_file;
  else if (stats.inactive_file !== undefined && stats.inactive_file < usage) used = usage - stats.inactive_file;
  return Math.round((used / 1024 ** 2) * 10) / 10;
}
