/**
 * A minimal Docker Engine API client over the Unix socket (Podman's
 * compatible socket answers the same paths). Unversioned paths get the
 * engine's current API version, which every engine since 1.13 accepts.
 */
import { request, Agent } from 'node:http';

/** Where the engine listens and how long one call may take. */
export interface DockerSource {
  socketPath: string;
  timeoutMs: number;
}

/** An engine call that failed, with a reason fit for a log. */
export class DockerApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * Connections to the engine are kept open between calls and cycles: on a host
 * with many containers, opening one per stats call costs more CPU than the
 * calls themselves. Eight at a time is plenty for one-shot stats.
 */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 8 });

/** GETs `path` and parses the JSON body; rejects on socket errors and non-2xx answers. */
export function dockerGet<T>(source: DockerSource, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: source.socketPath,
        path,
        method: 'GET',
        timeout: source.timeoutMs,
        headers: { host: 'docker' },
        agent: keepAlive,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300) {
            let detail = body.trim();
            try {
              detail = (JSON.parse(body) as { message?: string }).message ?? detail;
            } catch {
              /* not JSON */
            }
            return reject(new DockerApiError(`docker ${path} answered ${res.statusCode}: ${detail}`));
          }
          try {
            resolve(JSON.parse(body) as T);
          } catch {
            reject(new DockerApiError(`docker ${path} sent invalid JSON`));
          }
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new DockerApiError(`docker ${path} timed out after ${source.timeoutMs} ms`, 'ETIMEDOUT')),
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof DockerApiError) return reject(err);
      const why =
        err.code === 'ENOENT'
          ? 'no such socket'
          : err.code === 'EACCES'
            ? 'permission denied (add the agent user to the docker group)'
            : err.code === 'ECONNREFUSED'
              ? 'nothing listening'
              : err.message;
      reject(new DockerApiError(`${source.socketPath}: ${why}`, err.code));
    });
    req.end();
  });
}
