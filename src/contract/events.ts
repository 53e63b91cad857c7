/**
 * The Server-Sent Events of GET /api/events: each event's name and the JSON
 * of its `data:` line. Server and dashboard both use these, so a payload
 * changes in one place.
 */
import { Type, type Static } from 'typebox';
import { HostStatus } from './responses.js';

/** `report` (a new report) and `up` (a silent host reported again): the host's /api/status entry. */
export const HostReportEvent = HostStatus;

/** `down`: the host's last report, received at `received_at`, is now older than the stale threshold. */
export const HostDownEvent = Type.Object({
  server_alias: Type.String(),
  received_at: Type.String({
    description: 'When the last report arrived, ISO 8601 UTC; a client ignores the event if it knows a newer one',
  }),
});

/** `deleted`: the host was removed (DELETE /api/server/{alias}). */
export const HostDeletedEvent = Type.Object({ server_alias: Type.String() });

/** Each event name with the schema of its data. */
export const LIVE_EVENTS = {
  report: HostReportEvent,
  up: HostReportEvent,
  down: HostDownEvent,
  deleted: HostDeletedEvent,
} as const;

/** The name of a live event. */
export type LiveEventName = keyof typeof LIVE_EVENTS;

/** Each event name mapped to its data. */
export type LiveEventData = { [Name in LiveEventName]: Static<(typeof LIVE_EVENTS)[Name]> };
