/** The public API, as the dashboard reads it. Types come from the wire contract (type-only). */
import type { ContainerReport, HistoryResponse, HostStatus } from '../../../src/contract/index.js';

export type { HistoryResponse, HostStatus };
/** One container as /api/docker/{host}/containers returns it. */
export type { ContainerReport as Container, GpuReport as Gpu } from '../../../src/contract/index.js';

/** A failed request, with the server's `detail` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'The Fleetwatch server cannot be reached.');
  }
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { detail?: unknown };
      if (typeof body.detail === 'string') detail = body.detail;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, detail);
  }
  return (await res.json()) as T;
}

export const api = {
  status: (signal?: AbortSignal) => getJson<{ results: HostStatus[] }>('/api/status', signal),
  containers: (alias: string, signal?: AbortSignal) =>
    getJson<ContainerReport[]>(`/api/docker/${encodeURIComponent(alias)}/containers`, signal),
  history: (alias: string, params: Record<string, string>, signal?: AbortSignal) =>
    getJson<HistoryResponse>(`/api/history/${encodeURIComponent(alias)}?${new URLSearchParams(params)}`, signal),
};
