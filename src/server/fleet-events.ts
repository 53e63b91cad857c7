import { EventEmitter } from 'node:events';
import type { NormalizedReport } from '../contract/index.js';

/**
 * What this process just committed, as its routes publish it once the store
 * has resolved: enough for the fleet monitor to update its read model
 * without reading the host back.
 */
export type IngestEvent =
  | {
      type: 'stored';
      alias: string;
      /** The report as stored; for a late one (latest false) only receivedAt of the host moved. */
      report: NormalizedReport;
      /** True when the report became the host's latest state. */
      latest: boolean;
      newHost: boolean;
      /** The host's version after the write (Store.ingest's result). */
      receivedAt: number;
      reportTime: number;
    }
  | { type: 'deleted'; alias: string };

/** In-process notifications of this process's own writes: routes publish, the fleet monitor listens. */
export class FleetEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(event: IngestEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: IngestEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
