/**
 * Exact latency percentiles at sub-millisecond resolution (autocannon's own
 * histogram rounds to whole milliseconds, too coarse for a cached GET).
 */
import type { Measured } from './plan.js';

/** Collects one phase's answers for one kind of request. */
export interface Recorder {
  start: () => void;
  stop: () => void;
  record: (statusCode: number, responseBytes: number, latencyMs: number) => void;
  fail: () => void;
  summary: () => Measured;
  /** Answers so far (2xx) and failures, cheap enough for a progress line. */
  counts: () => { answered: number; failures: number };
}

export function measure(): Recorder {
  const latencies: number[] = [];
  let failures = 0;
  let bytes = 0;
  let started = 0;
  let stopped = 0;
  return {
    start: () => {
      started = performance.now();
    },
    stop: () => {
      stopped = performance.now();
    },
    record: (statusCode, responseBytes, latencyMs) => {
      if (statusCode < 200 || statusCode > 299) failures++;
      else {
        latencies.push(latencyMs);
        bytes += responseBytes;
      }
    },
    fail: () => {
      failures++;
    },
    counts: () => ({ answered: latencies.length, failures }),
    summary: () => {
      const sorted = Float64Array.from(latencies).sort();
      const at = (q: number): number =>
        sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN;
      const seconds = ((stopped || performance.now()) - started) / 1000;
      return {
        requests: sorted.length,
        perSecond: sorted.length / seconds,
        p50: at(0.5),
        p99: at(0.99),
        max: sorted.length ? sorted[sorted.length - 1]! : NaN,
        failures,
        meanResponseBytes: sorted.length ? bytes / sorted.length : 0,
      };
    },
  };
}
