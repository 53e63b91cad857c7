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

/** The server's `{detail}` in words: its message, or each validation problem's. */
function detailText(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return detail.map((d: { msg?: unknown }) => String(d?.msg ?? '')).join('; ');
  return undefined;
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'The Fleetwatch server cannot be reached.');
  }
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    try {
      detail = detailText(((await res.json()) as { detail?: unknown }).detail) ?? detail;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, detail);
  }
  return (await res.json()) as T;
}

export const api = {
  status: (signal?: AbortSignal) => request<{ results: HostStatus[] }>('/api/status', { signal }),
  containers: (alias: string, signal?: AbortSignal) =>
    request<ContainerReport[]>(`/api/docker/${encodeURIComponent(alias)}/containers`, { signal }),
  history: (alias: string, params: Record<string, string>, signal?: AbortSignal) =>
    request<HistoryResponse>(`/api/history/${encodeURIComponent(alias)}?${new URLSearchParams(params)}`, { signal }),
  /** Removes a host and its history; the one dashboard action that needs the API key. */
  deleteHost: (alias: string, apiKey: string) =>
    request<{ status: 'ok'; message: string }>(`/api/server/${encodeURIComponent(alias)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${apiKey}` },
    }),
};
