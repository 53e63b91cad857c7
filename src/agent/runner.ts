/**
 * The `run` loop: collect, deliver, wait INTERVAL seconds. Every wait is
 * stretched or shortened at random by up to JITTER × INTERVAL, and the first
 * cycle starts after a random delay of up to that much, so a fleet that boots
 * together does not report in lockstep.
 */
import type { ReportCollector } from './collect.js';
import type { Sender } from './sender.js';
import type { Logger } from './log.js';

/** The loop's timing. */
export interface LoopOptions {
  intervalSeconds: number;
  jitter: number;
}

/** Milliseconds until the next cycle: interval ± jitter, less the time the cycle took. */
export function nextDelayMs(options: LoopOptions, elapsedMs: number, random = Math.random): number {
  const spread = 1 + options.jitter * (2 * random() - 1);
  return Math.max(0, options.intervalSeconds * 1000 * spread - elapsedMs);
}

/** Runs until `signal` aborts; the cycle in progress finishes first. */
export async function runLoop(
  collector: ReportCollector,
  sender: Sender,
  options: LoopOptions,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', wake);
        resolve();
      }, ms);
      signal.addEventListener('abort', wake, { once: true });
    });
  await sleep(Math.random() * options.jitter * options.intervalSeconds * 1000);
  while (!signal.aborted) {
    const started = Date.now();
    try {
      const report = await collector.collect();
      const sent = await sender.deliver(JSON.stringify(report));
      log.debug({ sent, timestamp: report.timestamp, ms: Date.now() - started }, 'cycle done');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'cycle failed');
    }
    await sleep(nextDelayMs(options, Date.now() - started));
  }
}
