/**
 * Delivers reports: each POST has a timeout and is retried with exponential
 * backoff. When the server stays unreachable or answers 5xx (or 408/429),
 * the report is spooled to disk, and the spool is replayed oldest first
 * before anything newer is sent, so an outage loses nothing and the server
 * sees reports in order. A 4xx is the report's (or the key's) fault:
 * retrying cannot fix it, so it is logged with the server's detail and
 * dropped.
 */
import type { Logger } from './log.js';
import { Spool } from './spool.js';
import { httpSend, HttpFailure, type HttpAnswer } from './http-client.js';

/** What one delivery attempt came to. */
export type SendResult =
  | { kind: 'ok' }
  | { kind: 'retry'; reason: string }
  | { kind: 'rejected'; status: number; detail: string };

/** How the sender reaches the server. */
export interface SenderOptions {
  url: string;
  apiKey: string;
  timeoutMs: number;
  /** Attempts per report before it is spooled. */
  retries: number;
  /** First backoff delay; doubles on each retry (with ±25% jitter). */
  backoffMs: number;
}

/** The server's `detail`, readable in one line. */
export function detailOf(body: string): string {
  try {
    const detail = (JSON.parse(body) as { detail?: unknown }).detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) {
      return detail.map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).join('.')}: ${d.msg ?? ''}`).join('; ');
    }
  } catch { /* not JSON */ }
  return body.slice(0, 200);
}

/** POSTs one report body once. */
export async function postReport(options: Pick<SenderOptions, 'url' | 'apiKey' | 'timeoutMs'>, body: string): Promise<SendResult> {
  let res: HttpAnswer;
  try {
    res = await httpSend(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body,
      timeoutMs: options.timeoutMs,
    });
  } catch (err) {
    return { kind: 'retry', reason: err instanceof HttpFailure ? (err.code === 'ETIMEDOUT' ? err.message : err.code ?? err.message) : String(err) };
  }
  const text = res.body;
  if (res.status >= 200 && res.status < 300) return { kind: 'ok' };
  if (res.status >= 500 || res.status === 408 || res.status === 429) return { kind: 'retry', reason: `HTTP ${res.status}: ${detailOf(text)}` };
  return { kind: 'rejected', status: res.status, detail: detailOf(text) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Sender {
  constructor(private readonly options: SenderOptions, private readonly spool: Spool, private readonly log: Logger) {}

  /** Sends with retries and backoff; the last result when all attempts fail. */
  async sendWithRetries(body: string): Promise<SendResult> {
    let result: SendResult = { kind: 'retry', reason: 'not sent' };
    for (let attempt = 0; attempt < this.options.retries; attempt++) {
      if (attempt > 0) await sleep(this.options.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
      result = await postReport(this.options, body);
      if (result.kind !== 'retry') return result;
      this.log.debug({ attempt: attempt + 1, reason: result.reason }, 'report attempt failed');
    }
    return result;
  }

  /**
   * Replays the spool in order, then sends `body`. Returns true when `body` was
   * accepted, false when it was spooled or rejected.
   */
  async deliver(body: string): Promise<boolean> {
    const backlog = await this.spool.list();
    for (const entry of backlog) {
      const result = await postReport(this.options, await this.spool.read(entry).catch(() => ''));
      if (result.kind === 'retry' || (result.kind === 'rejected' && (result.status === 401 || result.status === 403))) {
        // The server is still away (or the key is wrong): keep the backlog, queue this report behind it.
        if (result.kind === 'rejected') this.log.error({ status: result.status, detail: result.detail }, 'server refused the key; spool kept');
        await this.spoolReport(body, result.kind === 'retry' ? result.reason : `HTTP ${result.status}`);
        return false;
      }
      if (result.kind === 'rejected') this.log.error({ status: result.status, detail: result.detail, file: entry.file }, 'server rejected a spooled report; dropped');
      await this.spool.remove(entry);
    }
    if (backlog.length > 0) this.log.info({ replayed: backlog.length }, 'spool replayed');
    const result = await this.sendWithRetries(body);
    if (result.kind === 'ok') return true;
    if (result.kind === 'rejected') {
      this.log.error({ status: result.status, detail: result.detail }, 'server rejected the report; dropped');
      return false;
    }
    await this.spoolReport(body, result.reason);
    return false;
  }

  private async spoolReport(body: string, reason: string): Promise<void> {
    try {
      const dropped = await this.spool.add(body);
      this.log.warn({ reason, dropped }, 'server unreachable; report spooled');
    } catch (err) {
      this.log.error({ reason, err: (err as Error).message }, 'server unreachable and spool not writable; report lost');
    }
  }
}
