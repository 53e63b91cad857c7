/**
 * Delivers reports: each POST has a timeout and is retried with exponential
 * backoff. When the server stays unreachable or answers 5xx (or 408/429),
 * the report is spooled to disk, and the spool is replayed oldest first
 * before anything newer is sent, so an outage loses nothing and the server
 * sees reports in order. A 4xx (a 413 included) is the report's (or the
 * key's) fault: retrying cannot fix it, so it is logged with the server's
 * detail and dropped, from the spool too, and the replay goes on. A report
 * too large for the server must not block the spool either: one over
 * LARGE_REPORT_BYTES whose connection is cut mid-send, while the server
 * still answers a small request, is dropped the same way. A server older
 * than this agent's protocol refuses every report; that is logged as such,
 * since the fix is upgrading the server.
 */
import { PROTOCOL_TOO_NEW } from '../contract/protocol.js';
import type { Logger } from './log.js';
import { Spool } from './spool.js';
import { httpSend, HttpFailure, type HttpAnswer } from './http-client.js';

/** What one delivery attempt came to. */
export type SendResult =
  /** `ignored`: what the server said it did not store (its 200's `ignored`; empty from a server that does not say). */
  | { kind: 'ok'; ignored: string[] }
  /** `cutOff`: the connection was reset or closed while the report was being sent. */
  | { kind: 'retry'; reason: string; cutOff?: boolean }
  /** `serverTooOld`: the server refused the report's protocol_version as newer than it understands. */
  | { kind: 'rejected'; status: number; detail: string; serverTooOld?: boolean }
  | { kind: 'too-large'; bytes: number; reason: string };

/**
 * Reports larger than this whose connection is cut mid-send are suspected of
 * being over the server's body limit: an older server, or a proxy, resets
 * rather than answering 413. Half the server's default BODY_LIMIT; a
 * report is normally tens of KB.
 */
export const LARGE_REPORT_BYTES = 1024 * 1024;

const CUT_OFF = new Set(['ECONNRESET', 'EPIPE']);

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
      return detail
        .map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).join('.')}: ${d.msg ?? ''}`)
        .join('; ');
    }
  } catch {
    /* not JSON */
  }
  return body.slice(0, 200);
}

/** Whether a refusal names this agent's protocol as too new for the server (one 422 item of that type). */
export function refusesProtocol(body: string): boolean {
  try {
    const detail = (JSON.parse(body) as { detail?: unknown }).detail;
    return Array.isArray(detail) && detail.some((d: { type?: unknown }) => d?.type === PROTOCOL_TOO_NEW);
  } catch {
    return false;
  }
}

/** The `ignored` list of a 200 answer: the fields the server dropped and its notes; [] when it names none. */
export function ignoredOf(body: string): string[] {
  try {
    const ignored = (JSON.parse(body) as { ignored?: unknown }).ignored;
    return Array.isArray(ignored) ? ignored.filter((i): i is string => typeof i === 'string') : [];
  } catch {
    return [];
  }
}

/** POSTs one report body once. */
export async function postReport(
  options: Pick<SenderOptions, 'url' | 'apiKey' | 'timeoutMs'>,
  body: string,
): Promise<SendResult> {
  let res: HttpAnswer;
  try {
    res = await httpSend(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body,
      timeoutMs: options.timeoutMs,
    });
  } catch (err) {
    if (!(err instanceof HttpFailure)) return { kind: 'retry', reason: String(err) };
    return {
      kind: 'retry',
      reason: err.code === 'ETIMEDOUT' ? err.message : (err.code ?? err.message),
      cutOff: CUT_OFF.has(err.code ?? ''),
    };
  }
  const text = res.body;
  if (res.status >= 200 && res.status < 300) return { kind: 'ok', ignored: ignoredOf(text) };
  if (res.status >= 500 || res.status === 408 || res.status === 429)
    return { kind: 'retry', reason: `HTTP ${res.status}: ${detailOf(text)}` };
  if (res.status === 422 && refusesProtocol(text))
    return { kind: 'rejected', status: res.status, detail: detailOf(text), serverTooOld: true };
  return { kind: 'rejected', status: res.status, detail: detailOf(text) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Dropped = Extract<SendResult, { kind: 'rejected' | 'too-large' }>;

/** The log fields of a report dropped for what it is. */
function whyDropped(result: Dropped): Record<string, unknown> {
  return result.kind === 'rejected'
    ? { status: result.status, detail: result.detail }
    : { bytes: result.bytes, reason: result.reason };
}

/** The log message for a dropped report: a server too old for this agent says what to do about it. */
function droppedMessage(result: Dropped, what: string): string {
  if (result.kind === 'rejected' && result.serverTooOld) {
    return `server is too old for this agent's protocol: upgrade the server; ${what} dropped`;
  }
  return `server rejected ${what}; dropped`;
}

export class Sender {
  /** The `ignored` list last logged, so that an agent newer than its server logs it once, not every cycle. */
  private lastIgnored = '';

  constructor(
    private readonly options: SenderOptions,
    private readonly spool: Spool,
    private readonly log: Logger,
  ) {}

  /** Sends with retries and backoff; the last result when all attempts fail. */
  async sendWithRetries(body: string): Promise<SendResult> {
    let result: SendResult = { kind: 'retry', reason: 'not sent' };
    for (let attempt = 0; attempt < this.options.retries; attempt++) {
      if (attempt > 0) await sleep(this.options.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
      result = await this.post(body);
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
      const result = await this.post(await this.spool.read(entry).catch(() => ''));
      if (result.kind === 'retry' || (result.kind === 'rejected' && (result.status === 401 || result.status === 403))) {
        // The server is still away (or the key is wrong): keep the backlog, queue this report behind it.
        if (result.kind === 'rejected')
          this.log.error({ status: result.status, detail: result.detail }, 'server refused the key; spool kept');
        await this.spoolReport(body, result.kind === 'retry' ? result.reason : `HTTP ${result.status}`);
        return false;
      }
      if (result.kind !== 'ok')
        this.log.error({ ...whyDropped(result), file: entry.file }, droppedMessage(result, 'a spooled report'));
      await this.spool.remove(entry);
    }
    if (backlog.length > 0) this.log.info({ replayed: backlog.length }, 'spool replayed');
    const result = await this.sendWithRetries(body);
    if (result.kind === 'ok') return true;
    if (result.kind !== 'retry') {
      this.log.error(whyDropped(result), droppedMessage(result, 'the report'));
      return false;
    }
    await this.spoolReport(body, result.reason);
    return false;
  }

  /** POSTs once; a cut-off large report is too large when the server still answers a small request. */
  private async post(body: string): Promise<SendResult> {
    const result = await postReport(this.options, body);
    if (result.kind === 'ok') this.noteIgnored(result.ignored);
    if (result.kind !== 'retry' || !result.cutOff) return result;
    const bytes = Buffer.byteLength(body);
    if (bytes <= LARGE_REPORT_BYTES || !(await this.serverAnswers())) return result;
    return {
      kind: 'too-large',
      bytes,
      reason: `connection cut while sending ${bytes} bytes (${result.reason}), though the server answers; taken as over its body limit`,
    };
  }

  /**
   * Logs what the server did not store, when that changes: fields of this
   * agent that an older server does not know, or a timestamp it could not
   * read. Stored reports are still counted as delivered.
   */
  private noteIgnored(ignored: string[]): void {
    const key = ignored.join('\n');
    if (key === this.lastIgnored) return;
    this.lastIgnored = key;
    if (ignored.length > 0)
      this.log.warn(
        { ignored },
        'the server stored the report without some of its fields (is it older than this agent?)',
      );
    else this.log.info({}, 'the server stores every field of the report again');
  }

  /** True when the server answers a GET of its root at all, whatever the status. */
  private async serverAnswers(): Promise<boolean> {
    try {
      await httpSend(new URL('/', this.options.url).href, { timeoutMs: this.options.timeoutMs });
      return true;
    } catch {
      return false;
    }
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
