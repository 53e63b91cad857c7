import { EventEmitter } from 'node:events';

/** Something that changed in the fleet, as pushed to live clients. */
export type FleetEvent =
  | { type: 'report'; alias: string; receivedAt: number; newHost: boolean; latest: boolean }
  | { type: 'deleted'; alias: string };

/** In-process change notifications: routes publish, live views subscribe. */
export class FleetEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(event: FleetEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: FleetEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
