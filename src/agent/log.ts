/**
 * The agent's logger: JSON lines on stderr in pino's shape (level number,
 * ISO 8601 time, name, data fields, msg), so log tooling reads the server's
 * and the agent's logs alike. Hand-written rather than pino because the agent runs
 * on every monitored host: pino and its stream workers cost ~9 MB of RSS.
 * Writes are synchronous so a line is never lost when systemd stops the
 * agent; stdout stays free for `once --print`.
 */
import { writeSync } from 'node:fs';

/** The logging surface the agent uses: a data object first, then a short message. */
export interface Logger {
  debug: (data: Record<string, unknown>, msg: string) => void;
  info: (data: Record<string, unknown>, msg: string) => void;
  warn: (data: Record<string, unknown>, msg: string) => void;
  error: (data: Record<string, unknown>, msg: string) => void;
}

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export function createLogger(level = 'info', fd = 2): Logger {
  const min = LEVELS[level as keyof typeof LEVELS] ?? LEVELS.info;
  const at = (n: number) => (data: Record<string, unknown>, msg: string) => {
    if (n < min) return;
    const line = JSON.stringify({ level: n, time: new Date().toISOString(), name: 'fleetwatch-agent', ...data, msg });
    try {
      writeSync(fd, `${line}\n`);
    } catch {
      /* stderr closed: nothing to do */
    }
  };
  return { debug: at(LEVELS.debug), info: at(LEVELS.info), warn: at(LEVELS.warn), error: at(LEVELS.error) };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
