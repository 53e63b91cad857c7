/**
 * One long-running `nvidia-smi -q -x -l <seconds>` instead of a fresh
 * nvidia-smi every cycle. Starting nvidia-smi means forking the agent and
 * loading and initialising NVML each time; kept running, it only queries the
 * driver once per period and prints a whole `-q -x` document. Each document
 * is parsed as it arrives and only the parsed samples are kept, never the
 * text. When the process exits, it is started again after a backoff (doubling
 * up to 5 minutes); while it is down, or stops printing, the collector falls
 * back to one nvidia-smi per cycle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parseNvidiaSmiXmlBytes } from './gpu-xml.js';
import type { GpuSample } from './gpu-values.js';

/** How the stream runs nvidia-smi. */
export interface GpuStreamOptions {
  /** The nvidia-smi executable. */
  nvidiaSmi: string;
  /** Seconds between documents (`-l`); the agent's INTERVAL, rounded up. */
  periodSeconds: number;
  /** First restart delay after an exit; doubles on each exit without a document. */
  restartMs?: number;
  /** Longest restart delay. */
  maxRestartMs?: number;
  /** Called on start, exit and unparsable output (for debug logs). */
  onEvent?: (event: string, data: Record<string, unknown>) => void;
}

const END = '</nvidia_smi_log>';
/** A document never comes near this size; past it the output is not nvidia-smi's and is dropped. */
const MAX_PENDING = 16 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/** The latest document of one long-running nvidia-smi. */
export class NvidiaSmiStream {
  private child: ChildProcess | undefined;
  /** Bytes of the document being received: `pending[0, pendingLength)`. */
  private pending = EMPTY;
  private pendingLength = 0;
  private latest: { samples: GpuSample[]; at: number } | undefined;
  private restartAt = 0;
  private restartDelay: number;
  private waiters: (() => void)[] = [];
  private closed = false;
  /** Documents parsed since the process started; 0 means it has not printed one yet. */
  private documents = 0;
  /** Processes started so far (restarts included). */
  starts = 0;

  constructor(private readonly options: GpuStreamOptions) {
    this.restartDelay = options.restartMs ?? 5000;
  }

  /** Whether the process is running. */
  get running(): boolean {
    return this.child !== undefined;
  }

  /**
   * The newest samples if they are at most `maxAgeMs` old. Starts the process
   * when it is not running and its backoff is over; when it is running but
   * has not printed its first document yet, waits up to `waitMs` for it.
   */
  async samples(maxAgeMs: number, waitMs: number, now = Date.now): Promise<GpuSample[] | undefined> {
    if (!this.child && !this.closed && now() >= this.restartAt) this.start();
    const fresh = () => (this.latest && now() - this.latest.at <= maxAgeMs ? this.latest.samples : undefined);
    if (fresh() || !this.child) return fresh();
    if (this.documents > 0) {
      // Running but silent for too long (a hung driver): kill it; it restarts on the next cycle.
      this.child.kill('SIGKILL');
      return undefined;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
    return fresh();
  }

  /** Stops the process for good. */
  close(): void {
    this.closed = true;
    this.child?.kill();
    this.wake();
  }

  private start(): void {
    const { nvidiaSmi, periodSeconds } = this.options;
    const child = spawn(nvidiaSmi, ['-q', '-x', '-l', String(Math.max(1, Math.ceil(periodSeconds)))], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.child = child;
    this.starts++;
    this.documents = 0;
    this.resetPending();
    this.options.onEvent?.('nvidia-smi stream started', { pid: child.pid });
    child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    const ended = (code: number | null, signal: NodeJS.Signals | null) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.resetPending();
      // A process that printed documents was healthy: restart soon. One that died silently backs off.
      this.restartDelay =
        this.documents > 0
          ? (this.options.restartMs ?? 5000)
          : Math.min(this.restartDelay * 2, this.options.maxRestartMs ?? 300_000);
      this.restartAt = Date.now() + (this.documents > 0 ? 0 : this.restartDelay);
      this.options.onEvent?.('nvidia-smi stream exited', { code, signal, documents: this.documents });
      this.wake();
    };
    child.on('error', () => ended(null, null));
    child.on('close', ended);
  }

  private onData(chunk: Buffer): void {
    // One growing byte buffer: a string grown chunk by chunk would be copied
    // again on every search (pipes deliver a 400 KB document in many chunks).
    if (this.pendingLength + chunk.length > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.pending.length * 2, this.pendingLength + chunk.length, 64 * 1024));
      this.pending.copy(grown, 0, 0, this.pendingLength);
      this.pending = grown;
    }
    // Only the new bytes (and an end tag straddling the previous chunk) are searched.
    let from = Math.max(0, this.pendingLength - END.length);
    chunk.copy(this.pending, this.pendingLength);
    this.pendingLength += chunk.length;
    let end: number;
    while ((end = this.pending.subarray(0, this.pendingLength).indexOf(END, from)) >= 0) {
      const docEnd = end + END.length;
      const doc = this.pending.subarray(0, docEnd);
      try {
        this.latest = { samples: parseNvidiaSmiXmlBytes(doc), at: Date.now() };
        this.documents++;
      } catch (err) {
        this.options.onEvent?.('nvidia-smi stream output not understood', { err: (err as Error).message });
      }
      this.pending.copy(this.pending, 0, docEnd, this.pendingLength);
      this.pendingLength -= docEnd;
      from = 0;
      this.wake();
    }
    // Between documents the buffer is let go rather than kept: the agent idles far longer than it reads.
    if (this.pendingLength === 0 || this.pendingLength > MAX_PENDING) this.resetPending();
  }

  private resetPending(): void {
    this.pending = EMPTY;
    this.pendingLength = 0;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
