/**
 * A MODEL of the original design, not the original: the original is a
 * FastAPI app in Python, which cannot be installed here. This keeps what
 * defines that design (state in an in-memory dict, nothing durable, the
 * whole status serialized again on every GET) and runs it on Node's bare
 * http server, without the original's pydantic validation. It is therefore
 * faster than the real original would be on the same machine: it shows what
 * the design costs, not what Python costs.
 */
import { readBody, sendJson, serve, statusEntry, type BaselineRecord } from './http-basics.js';

/** Hosts count as down after this much silence; the benchmark sets it for every server alike. */
const STALE_MS = Number(process.env.STALE_THRESHOLD_SECONDS ?? 300) * 1000;
const servers: Record<string, BaselineRecord> = {};

serve('original-model', (req, res) => {
  if (req.method === 'POST' && req.url === '/api/report') {
    readBody(req).then(
      (text) => {
        const report = JSON.parse(text) as Record<string, unknown>;
        const receivedAt = Date.now();
        servers[report.server_alias as string] = { report, receivedAt };
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
    sendJson(res, JSON.stringify({ results: Object.values(servers).map((h) => statusEntry(h, now, STALE_MS)) }));
    return;
  }
  if (req.method === 'GET' && req.url === '/') {
    sendJson(
      res,
      JSON.stringify({
        service: 'Server Monitoring API',
        status: 'online',
        servers_monitored: Object.keys(servers).length,
        timestamp: new Date().toISOString(),
      }),
    );
    return;
  }
  sendJson(res, '{"detail":"Not Found"}', 404);
});
