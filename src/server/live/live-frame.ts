/** Live events on the wire: the Server-Sent Events text of one event. */

/** The names of the events /api/events sends. */
export type LiveEventName = 'report' | 'up' | 'down' | 'deleted';

const END = Buffer.from('\n\n');

/**
 * The wire bytes of one event whose data is already JSON (a host's status
 * entry from the read model, say): built once however many streams it goes to.
 */
export function sseFrame(id: number, event: LiveEventName, json: Buffer | string): Buffer {
  const head = Buffer.from(`id: ${id}\nevent: ${event}\ndata: `);
  const data = typeof json === 'string' ? Buffer.from(json) : json;
  return Buffer.concat([head, data, END], head.length + data.length + END.length);
}

/** Gets the frame of one check's events: the same bytes for every listener, never to be modified. */
export type FrameListener = (frame: Buffer) => void;
