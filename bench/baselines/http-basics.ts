/**
 * The little HTTP plumbing both baseline servers share, kept bare on
 * purpose: node:http, no framework, no validation, no logging.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** What a baseline keeps per host: the parsed body and when it arrived (server clock, ms). */
export interface BaselineRecord {
  report: Record<string, unknown>;
  receivedAt: number;
}

/** Reads the whole request body as one string. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Sends JSON (a string, or UTF-8 bytes) with a 200 (or `status`). */
export function sendJson(res: ServerResponse, json: string | Buffer, status = 200): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

/**
 * One `/api/status` entry, with the same fields Fleetwatch serves, so that
 * every server in the comparison sends bodies of the same size.
 */
export function statusEntry(record: BaselineRecord, now: number, staleMs: number): Record<string, unknown> {
  const r = record.report as Record<string, unknown> & { containers?: unknown[] };
  return {
    server_alias: r.server_alias,
    status: now - record.receivedAt <= staleMs ? 'ok' : 'down',
    hostname: r.hostname,
    ip: r.ip,
    uptime_seconds: r.uptime_seconds,
    cpu: r.cpu,
    memory: r.memory,
    disks: r.disks,
    users: r.users,
    gpus: r.gpus ?? [],
    timestamp: r.timestamp,
    os: r.os ?? 'Unknown',
    machine_type: r.machine_type ?? 'host',
    group: r.group ?? 'default',
    labels: r.labels ?? [],
    received_at: new Date(record.receivedAt).toISOString(),
    container_count: r.containers?.length ?? 0,
  };
}

/** Starts `handler` on 127.0.0.1:$PORT and exits cleanly on SIGTERM/SIGINT. */
export function serve(name: string, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${name}: set PORT`);
  const server = createServer({ keepAliveTimeout: 60_000 }, handler);
  server.listen(port, '127.0.0.1');
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}
