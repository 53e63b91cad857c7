import { pino, type Logger } from 'pino';

/** Structured JSON logs on stdout (journald and docker pick them up as is). */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings } });
}
