/**
 * The report's `timestamp`: the forms agents really send, read strictly.
 * Fleetwatch's agent sends ISO 8601 in UTC ("2025-11-06T14:30:00.000Z"); the
 * original sends ISO 8601 with or without a zone or fraction (Python's
 * "2025-11-06T14:30:00.123456"), or `date`'s "2025-11-06 14:30:00". A time
 * without a zone is UTC. Anything else (Date.parse would read "1" as the
 * year 2001) is not a date: the report is stored at its receive time, and
 * the 200 answer says so.
 */

const AGENT_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2})?)?$/i;

/** The forms parseAgentTime reads, as the note of an unreadable timestamp names them. */
export const AGENT_TIME_FORMS = 'ISO 8601 or "YYYY-MM-DD HH:MM:SS"';

/** Unix ms of an agent timestamp in one of the forms above; undefined when it is not such a date. */
export function parseAgentTime(text: string): number | undefined {
  const m = AGENT_TIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(m[6] ?? 0);
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const fraction = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return utc(year, month - 1, day).setUTCHours(hour, minute, second, fraction) - offset;
}

/** Midnight UTC of a day; unlike Date.UTC, a year below 100 stays that year. */
function utc(year: number, monthIndex: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

function daysIn(year: number, month: number): number {
  return utc(year, month, 0).getUTCDate();
}

/**
 * Stores the receive time (ISO 8601) as the timestamp of a report whose own is
 * not a date, and returns the note for the answer's `ignored`; undefined when
 * the timestamp is a date and stays as sent.
 */
export function replaceUnreadableTimestamp(report: { timestamp: string }, receivedAt: number): string | undefined {
  if (parseAgentTime(report.timestamp) !== undefined) return undefined;
  report.timestamp = new Date(receivedAt).toISOString();
  return `timestamp: not a date (${AGENT_TIME_FORMS}); the receive time was stored`;
}
