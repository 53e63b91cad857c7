/**
 * Graceful shutdown, step by step, told in the log: each step when it
 * starts, and every few seconds while one is still waiting (with the HTTP
 * connections still open), so an operator whose server does not stop in
 * time sees what it waited for before close-with-grace gives up.
 */
import type { Server } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';

/** How long a shutdown may take before close-with-grace ends the process (exit 1). */
export const SHUTDOWN_GRACE_MS = 25_000;

/** How often a step still running is reported. */
const REPORT_EVERY_MS = 5_000;

export class ShutdownSteps {
  private readonly started = performance.now();

  constructor(
    private readonly log: Pick<FastifyBaseLogger, 'info' | 'warn'>,
    private readonly openConnections: () => Promise<number>,
    private readonly reportEveryMs = REPORT_EVERY_MS,
  ) {}

  /** Runs `step`, warning every few seconds while it has not finished. */
  async run(name: string, step: () => Promise<unknown>): Promise<void> {
    this.log.info({ step: name }, 'shutdown step');
    const since = performance.now();
    const timer = setInterval(() => {
      void this.openConnections().then((connections) =>
        this.log.warn(
          { step: name, waitingMs: Math.round(performance.now() - since), connections },
          'shutdown still waiting',
        ),
      );
    }, this.reportEveryMs);
    try {
      await step();
    } finally {
      clearInterval(timer);
    }
  }

  done(): void {
    this.log.info({ ms: Math.round(performance.now() - this.started) }, 'shut down');
  }
}

/** The TCP connections `server` still holds open. */
export function connectionsOf(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((err, count) => resolve(err ? -1 : count)));
}
