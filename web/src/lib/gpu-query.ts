/** The GPU view's options, the URL parameters that keep them, and which GPUs they show. */
import type { HostStatus } from './api.js';
import { isGpuFree, isGpuIdleAllocation } from '../../../src/domain/gpu.js';
import { gpuContainers, gpuUsers } from './gpu.js';

/** What a GPU card says about its GPU; a down host's GPUs are unknown. */
export type GpuState = 'free' | 'idle' | 'busy' | 'unknown';
/** Which GPUs the view shows by state. */
export type GpuShow = 'all' | 'free' | 'idle';

/** The GPU view's options; an empty string means any. */
export interface GpuQuery {
  model: string;
  group: string;
  /** A user with a process on the GPU. */
  user: string;
  /** A container with a process on the GPU (as containerLabel names it): a Docker job often runs as root. */
  container: string;
  show: GpuShow;
}

/** One GPU card: the GPU, its host and its state. */
export interface GpuCard {
  host: HostStatus;
  gpu: HostStatus['gpus'][number];
  state: GpuState;
}

/** The state of a GPU on a host that is up or not. */
export function gpuState(hostUp: boolean, gpu: GpuCard['gpu']): GpuState {
  if (!hostUp) return 'unknown';
  if (isGpuFree(gpu)) return 'free';
  return isGpuIdleAllocation(gpu) ? 'idle' : 'busy';
}

/** The query as URL parameters (model, group, user, container, show), leaving out what is the default. */
export function gpuQueryToParams(q: GpuQuery): Record<string, string> {
  return { model: q.model, group: q.group, user: q.user, container: q.container, show: q.show === 'all' ? '' : q.show };
}

/** The query a URL names; an unknown `show` falls back to all. */
export function gpuQueryFromParams(p: URLSearchParams): GpuQuery {
  const show = p.get('show');
  return {
    model: p.get('model') ?? '',
    group: p.get('group') ?? '',
    user: p.get('user') ?? '',
    container: p.get('container') ?? '',
    show: show === 'free' || show === 'idle' ? show : 'all',
  };
}

/** The cards the query shows, by host alias then GPU index. */
export function selectGpus(hosts: HostStatus[], q: GpuQuery): GpuCard[] {
  return hosts
    .filter((h) => q.group === '' || h.group === q.group)
    .sort((a, b) => a.server_alias.localeCompare(b.server_alias))
    .flatMap((h) => h.gpus.map((gpu) => ({ host: h, gpu, state: gpuState(h.status === 'ok', gpu) })))
    .filter(
      (c) =>
        (q.model === '' || c.gpu.name === q.model) &&
        (q.user === '' || gpuUsers(c.gpu).includes(q.user)) &&
        (q.container === '' || gpuContainers(c.gpu).includes(q.container)) &&
        (q.show === 'all' || c.state === q.show),
    );
}

/** The choices of the view's selects: every model, group, GPU user and GPU container in the fleet, sorted. */
export function gpuChoices(hosts: HostStatus[]): {
  models: string[];
  groups: string[];
  users: string[];
  containers: string[];
} {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return {
    models: sorted(hosts.flatMap((h) => h.gpus.map((g) => g.name))),
    groups: sorted(hosts.map((h) => h.group)),
    users: sorted(hosts.flatMap((h) => h.gpus.flatMap(gpuUsers))),
    containers: sorted(hosts.flatMap((h) => h.gpus.flatMap(gpuContainers))),
  };
}
