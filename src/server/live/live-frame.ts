/** Live events on the wire: what one is, and its Server-Sent Events text. */
import type { HostStatus } from '../../contract/index.js';

/** One event as sent on the wire. */
export interface LiveEvent {
  id: number;
  event: 'report' | 'up' | 'down' | 'deleted';
  data: HostStatus | { server_alias: string; received_at?: string };
}

/** The wire text of one event, serialized once however many streams it goes to. */
export function sseFrame(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** Gets the frame of one check's events: the same bytes for every listener, never to be modified. */
export type FrameListener = (frame: Buffer) => void;
