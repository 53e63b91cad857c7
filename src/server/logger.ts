import { pino, type DestinationStream, type Logger } from 'pino';

/** Log bytes that may wait for a reader of stdout that has stopped reading; lines beyond are dropped. */
const MAX_PENDING_LOG_BYTES = 4 * 1024 * 1024;

/** Structured JSON logs on stdout (journald and docker pick them up as is), timed in ISO 8601. */
export function createLogger(
  level: string,
  bindings: Record<string, unknown> = {},
  destination: DestinationStream = stdoutDestination(),
): Logger {
  return pino(
    { level, base: { pid: process.pid, ...bindings }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
}

/**
 * stdout as a log destination that can never hold the process up: a reader
 * that exits (EPIPE) ends logging, and one that stops reading makes lines
 * wait in memory, up to a bound, then drop. pino's own stdout stream retries
 * a failed write forever in its flush on exit, so `npm start | head` kept a
 * finished shutdown from ever exiting.
 */
export function stdoutDestination(
  out: NodeJS.WritableStream & { writableLength: number } = process.stdout,
  maxPendingBytes = MAX_PENDING_LOG_BYTES,
): DestinationStream {
  let open = true;
  out.on('error', () => {
    open = false;
  });
  return {
    write(line: string): void {
      if (open && out.writableLength < maxPendingBytes) out.write(line);
    },
  };
}
