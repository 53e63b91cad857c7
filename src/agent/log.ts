/**
 * The agent's logger: pino writing JSON lines to stderr (stdout is kept for
 * `once --print`), synchronously so a line is never lost when systemd stops
 * the agent. Under systemd both streams go to the journal.
 */
import { pino, type Logger as PinoLogger } from 'pino';

/** The logging surface the agent uses. */
export type Logger = Pick<PinoLogger, 'info' | 'warn' | 'error' | 'debug'>;

export function createLogger(level = 'info'): Logger {
  return pino({ name: 'fleetwatch-agent', level, base: { name: 'fleetwatch-agent' } }, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything, for tests and `once --print` in quiet mode. */
export const silentLogger: Logger = pino({ level: 'silent' });
