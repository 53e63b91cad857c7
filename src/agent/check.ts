/**
 * `check`: tests reachability and the API key without storing anything. The
 * key is tried on GET /api/auth/check, beside the report endpoint. A server
 * without it (the original, an older Fleetwatch) gets an empty report
 * instead: it checks the key before it reads the body, so a good key gets 422
 * and a bad one 401.
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
    lines.push(await checkKey(url, config.apiKey, timeout));
  } catch (err) {
    lines.push({ ok: false, text: `report endpoint failed: ${(err as Error).message}` });
  }
  return lines;
}

async function checkKey(reportUrl: URL, apiKey: string, timeoutMs: number): Promise<CheckLine> {
  const authorization = `Bearer ${apiKey}`;
  const keyCheck = new URL('auth/check', reportUrl);
  const checked = await httpSend(keyCheck.href, { timeoutMs, headers: { authorization } });
  if (checked.status === 200) return { ok: true, text: 'API_KEY accepted' };
  if (checked.status !== 404 && checked.status !== 405) return verdict(reportUrl, checked);
  const res = await httpSend(reportUrl.href, {
    method: 'POST',
    body: '{}',
    timeoutMs,
    headers: { 'content-type': 'application/json', authorization },
  });
  return res.status === 422 ? { ok: true, text: 'API_KEY accepted' } : verdict(reportUrl, res);
}

function verdict(reportUrl: URL, res: { status: number; body: string }): CheckLine {
  const detail = detailOf(res.body);
  if (res.status === 401 || res.status === 403) return { ok: false, text: `the server refused API_KEY: ${detail}` };
  if (res.status >= 200 && res.status < 300) return { ok: true, text: 'API_KEY accepted' };
  if (res.status === 404)
    return { ok: false, text: `${reportUrl} not found (HTTP 404); check the path in API_ENDPOINT` };
  return { ok: false, text: `${reportUrl} answered HTTP ${res.status}: ${detail}` };
}
