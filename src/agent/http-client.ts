/**
 * A small HTTP client on node:http (node:https loaded only for https URLs).
 * The agent avoids global fetch because loading undici costs ~10 MB of RSS
 * on every monitored host.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';

/** An answer: status and body text. */
export interface HttpAnswer {
  status: number;
  body: string;
}

/** A request that failed before an answer, with the system error code when there is one. */
export class HttpFailure extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Sends one request; rejects with HttpFailure on connection errors and timeouts. */
export async function httpSend(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpAnswer> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const reqOptions: RequestOptions = {
    method: options.method ?? 'GET',
    headers: { ...options.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    timeout: options.timeoutMs,
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => req.destroy(new HttpFailure(`timed out after ${options.timeoutMs} ms`, 'ETIMEDOUT')),
      options.timeoutMs,
    );
    const req = request(target, reqOptions, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(new HttpFailure(err.message));
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('timeout', () => req.destroy(new HttpFailure(`timed out after ${options.timeoutMs} ms`, 'ETIMEDOUT')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err instanceof HttpFailure ? err : new HttpFailure(err.message, err.code));
    });
    req.end(body);
  });
}
