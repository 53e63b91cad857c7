/**
 * `check`: tests reachability and the API key without storing anything. The
 * key is tried with an empty report: the server checks the key before it
 * reads the body, so a good key gets 422 and a bad one 401.
 */
import type { AgentConfig } from './config.js';
import { reportUrl } from './config.js';
import { detailOf } from './sender.js';
import { httpSend, HttpFailure } from './http-client.js';

/** One line of the check's verdict. */
export interface CheckLine {
  ok: boolean;
  text: string;
}

export async function checkServer(
  config: Pick<AgentConfig, 'apiEndpoint' | 'apiKey' | 'timeoutSeconds'>,
): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  if (!config.apiEndpoint)
    return [{ ok: false, text: 'API_ENDPOINT is not set (e.g. API_ENDPOINT=http://monitor:8000)' }];
  let url: URL;
  try {
    url = new URL(reportUrl(config.apiEndpoint));
  } catch {
    return [{ ok: false, text: `API_ENDPOINT "${config.apiEndpoint}" is not a URL` }];
  }
  const timeout = config.timeoutSeconds * 1000;
  const root = new URL('/', url);
  try {
    const res = await httpSend(root.href, { timeoutMs: timeout });
    const body = res.body;
    if (res.status !== 200)
      return [{ ok: false, text: `${root} answered HTTP ${res.status}; is API_ENDPOINT the Fleetwatch server?` }];
    const service = (() => {
      try {
        return (JSON.parse(body) as { service?: string }).service;
      } catch {
        return undefined;
      }
    })();
    if (!service)
      return [{ ok: false, text: `${root} answered, but not like a Fleetwatch server; check API_ENDPOINT` }];
    lines.push({ ok: true, text: `server reachable at ${root} (${service})` });
  } catch (err) {
    const code = err instanceof HttpFailure ? err.code : undefined;
    const why =
      code === 'ETIMEDOUT'
        ? `no answer within ${config.timeoutSeconds} s`
        : code === 'ECONNREFUSED'
          ? 'connection refused (is the server running, and the port right?)'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? `host name "${root.hostname}" not found`
            : (code ?? (err as Error).message);
    return [{ ok: false, text: `cannot reach ${root}: ${why}` }];
  }
  if (!config.apiKey) return [...lines, { ok: false, text: 'API_KEY is not set' }];
  try {
    const res = await httpSend(url.href, {
      method: 'POST',
      body: '{}',
      timeoutMs: timeout,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiKey}` },
    });
    const detail = detailOf(res.body);
    if (res.status === 401 || res.status === 403)
      lines.push({ ok: false, text: `the server refused API_KEY: ${detail}` });
    else if (res.status === 422 || (res.status >= 200 && res.status < 300))
      lines.push({ ok: true, text: 'API_KEY accepted' });
    else if (res.status === 404)
      lines.push({ ok: false, text: `${url} not found (HTTP 404); check the path in API_ENDPOINT` });
    else lines.push({ ok: false, text: `${url} answered HTTP ${res.status}: ${detail}` });
  } catch (err) {
    lines.push({ ok: false, text: `report endpoint failed: ${(err as Error).message}` });
  }
  return lines;
}
