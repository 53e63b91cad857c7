/**
 * The ceiling: the least a server can do and still answer the agent and the
 * dashboard. POST /api/report only JSON.parses the body into a Map (no key
 * check, no validation, nothing written to disk). GET /api/status serves a
 * cached serialization (UTF-8 bytes) rebuilt only when a report arrived
 * since the last one, which is what Fleetwatch does too. Fleetwatch's figures are
 * reported as a fraction of this server's, measured in the same run.
 */
import { readBody, sendJson, serve, statusEntry, type BaselineRecord } from './http-basics.js';

/** Hosts count as down after this much silence; the benchmark sets it for every server alike. */
const STALE_MS = Number(process.env.STALE_THRESHOLD_SECONDS ?? 300) * 1000;
const hosts = new Map<string, BaselineRecord>();
let status: Buffer | undefined;

serve('ceiling', (req, res) => {
  if (req.method === 'POST' && req.url === '/api/report') {
    readBody(req).then(
      (text) => {
        const report = JSON.parse(text) as Record<string, unknown>;
        const receivedAt = Date.now();
        hosts.set(report.server_alias as string, { report, receivedAt });
        status = undefined;
        sendJson(
          res,
          JSON.stringify({
            status: 'ok',
            server_alias: report.server_alias,
            received_at: new Date(receivedAt).toISOString(),
          }),
        );
      },
      () => res.destroy(),
    );
    return;
  }
  if (req.method === 'GET' && req.url === '/api/status') {
    const now = Date.now();
    status ??= Buffer.from(
      JSON.stringify({ results: Array.from(hosts.values(), (h) => statusEntry(h, now, STALE_MS)) }),
    );
    sendJson(res, status);
    return;
  }
  if (req.method === 'GET' && req.url === '/') {
    sendJson(
      res,
      JSON.stringify({
        service: 'Server Monitoring API',
        status: 'online',
        servers_monitored: hosts.size,
        timestamp: new Date().toISOString(),
      }),
    );
    return;
  }
  sendJson(res, '{"detail":"Not Found"}', 404);
});
