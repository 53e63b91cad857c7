/**
 * Container creation times in one form. The original agent sends what
 * `docker ps` prints, Go's time format with an offset and a zone name
 * (`2025-11-05 08:00:00 +0700 WIB`), which `Date.parse` cannot read, so
 * dashboards showed "Invalid Date"; the Fleetwatch agent sends ISO 8601.
 */

/** Go's `2006-01-02 15:04:05.999999999 -0700 MST`; the zone name may be letters or, for unnamed zones, an offset (`+07`). */
const GO_TIME =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ([+-])(\d{2})(\d{2})(?: (?:[A-Za-z]{1,10}|[+-]\d{2,4}))?$/;

/**
 * `created` as ISO 8601 UTC (`2025-11-05T01:00:00.000Z`) when it is in Go's
 * time format; any other text (ISO already, or unreadable) is kept as it is,
 * since it is the agent's own words and there is nothing better to show.
 */
export function isoCreated(created: string): string {
  const m = GO_TIME.exec(created);
  if (!m) return created;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const day = new Date(local);
  // Date.UTC rolls 2025-02-30 over into March; such a date is not a time but garbage.
  if (
    day.getUTCFullYear() !== y ||
    day.getUTCMonth() !== mo - 1 ||
    day.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  )
    return created;
  const offsetMinutes = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  if (Math.abs(offsetMinutes) >= 24 * 60) return created;
  return new Date(local - offsetMinutes * 60_000).toISOString();
}
