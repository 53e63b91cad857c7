/**
 * Writing and reading one live event. Kept apart from events.ts, with type
 * imports only, so the dashboard can use it without bundling the schemas.
 */
import type { LiveEventData, LiveEventName } from './events.js';

/** One event as an SSE frame. JSON.stringify escapes newlines, so the data stays on one `data:` line. */
export function liveEventFrame<Name extends LiveEventName>(id: number, event: Name, data: LiveEventData[Name]): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The data of a received event, or undefined when it is not JSON naming a
 * host. The event name only picks the type. The server is trusted for the
 * rest of the shape: checking every field of a status entry would cost more
 * than the update itself.
 */
export function parseLiveEvent<Name extends LiveEventName>(
  _event: Name,
  text: string,
): LiveEventData[Name] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (
    typeof data !== 'object' ||
    data === null ||
    typeof (data as { server_alias?: unknown }).server_alias !== 'string'
  )
    return undefined;
  return data as LiveEventData[Name];
}
