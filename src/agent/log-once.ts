/**
 * A collector that fails every cycle (no nvidia-smi, no Docker socket) must
 * not fill the journal: each distinct failure is logged once, and the
 * recovery is logged when it works again.
 */
import type { Logger } from './log.js';

/** Remembers the last failure reason of one source. */
export class LogOnce {
  private last: string | undefined;
  constructor(
    private readonly log: Logger,
    private readonly source: string,
  ) {}

  /** Logs `reason` unless it is the same as the previous failure. */
  fail(reason: string): void {
    if (reason === this.last) return;
    this.last = reason;
    this.log.warn({ source: this.source, reason }, `${this.source} unavailable; reporting none`);
  }

  /** Marks the source as working again. */
  ok(): void {
    if (this.last === undefined) return;
    this.last = undefined;
    this.log.info({ source: this.source }, `${this.source} available again`);
  }
}
