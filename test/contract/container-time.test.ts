/** Container creation times: Go's time format (what `docker ps` prints) becomes ISO 8601; anything else is kept. */
import { describe, expect, it } from 'vitest';
import { isoCreated } from '../../src/contract/index.js';

describe('isoCreated', () => {
  it.each([
    ['the original agent, UTC', '2025-11-05 08:00:00 +0000 UTC', '2025-11-05T08:00:00.000Z'],
    ['a zone east of UTC', '2025-11-05 08:00:00 +0700 WIB', '2025-11-05T01:00:00.000Z'],
    ['a zone west of UTC, across midnight', '2025-11-05 20:30:00 -0500 EST', '2025-11-06T01:30:00.000Z'],
    ['a half-hour zone', '2025-01-01 05:30:00 +0530 IST', '2025-01-01T00:00:00.000Z'],
    ['a zone Go names by its offset', '2025-11-05 08:00:00 +0700 +07', '2025-11-05T01:00:00.000Z'],
    ['nanoseconds, as Go prints them', '2025-11-05 08:00:00.123456789 +0000 UTC', '2025-11-05T08:00:00.123Z'],
    ['a year change', '2026-01-01 06:59:59 +0700 WIB', '2025-12-31T23:59:59.000Z'],
  ])('reads %s', (_name, created, iso) => {
    expect(isoCreated(created)).toBe(iso);
    expect(new Date(isoCreated(created)).toISOString()).toBe(iso);
  });

  it.each([
    ['ISO 8601 already', '2025-11-05T08:00:00Z'],
    ['ISO 8601 with an offset', '2025-11-05T08:00:00+07:00'],
    ['empty', ''],
    ['garbage', 'about an hour ago'],
    ['a day that does not exist', '2025-02-30 08:00:00 +0000 UTC'],
    ['an hour that does not exist', '2025-11-05 24:00:00 +0000 UTC'],
    ['no offset', '2025-11-05 08:00:00 UTC'],
    ['an offset of a day or more', '2025-11-05 08:00:00 +2400 XXX'],
    ['text after the zone', '2025-11-05 08:00:00 +0000 UTC m=+0.5'],
  ])('keeps %s as it is', (_name, created) => {
    expect(isoCreated(created)).toBe(created);
  });
});
