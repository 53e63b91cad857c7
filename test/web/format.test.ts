/** The dashboard's formatting: sizes switch unit at their boundaries, times follow the locale and zone they are given. */
import { describe, expect, it } from 'vitest';
import { chartTime, dateTime, gb, mb, size, sizeUnit, timeTicks, timeZoneLabel } from '../../web/src/lib/format.js';

describe('sizes', () => {
  it('switch from MB to GB to TB where the number would reach 1024', () => {
    expect(mb(0)).toBe('0 MB');
    expect(mb(1023)).toBe('1023 MB');
    expect(mb(1023.4)).toBe('1023 MB');
    expect(mb(1023.5)).toBe('1.0 GB'); // would show as 1024 MB
    expect(mb(1024)).toBe('1.0 GB');
    expect(mb(81_559)).toBe('79.6 GB');
    expect(mb(75_000)).toBe('73.2 GB');
    expect(mb(102_400)).toBe('100 GB');
    expect(mb(1_048_575)).toBe('1.0 TB'); // 1023.999 GB
    expect(mb(null)).toBe('–');
    expect(mb(undefined)).toBe('–');
    expect(gb(0)).toBe('0.0 GB');
    expect(gb(64)).toBe('64.0 GB');
    expect(gb(99.94)).toBe('99.9 GB');
    expect(gb(99.96)).toBe('100 GB'); // not "100.0 GB"
    expect(gb(1023.4)).toBe('1023 GB');
    expect(gb(1023.5)).toBe('1.0 TB');
    expect(gb(19_000)).toBe('18.6 TB');
    expect(gb(50_000)).toBe('48.8 TB');
    expect(gb(2_000_000)).toBe('1.9 PB');
    expect(gb(5e9)).toBe('4768 PB'); // nothing above PB
  });

  it('name the unit and divisor a chart axis uses for its largest value', () => {
    expect(sizeUnit(900, 'MB')).toEqual({ unit: 'MB', divisor: 1 });
    expect(sizeUnit(81_920, 'MB')).toEqual({ unit: 'GB', divisor: 1024 });
    expect(sizeUnit(3 * 1024 ** 2, 'MB')).toEqual({ unit: 'TB', divisor: 1024 ** 2 });
    expect(size(81_920 / 1024, 'GB')).toBe(mb(81_920));
  });
});

describe('times', () => {
  const t = Date.UTC(2025, 10, 6, 13, 30, 5) / 1000; // 6 Nov 2025, 13:30:05 UTC

  it('write a moment in the given locale and time zone', () => {
    expect(dateTime(t * 1000, 'en-GB', 'UTC')).toBe('6 Nov 2025, 13:30:05');
    expect(dateTime(t * 1000, 'de-DE', 'Asia/Tokyo')).toBe('06.11.2025, 22:30:05');
    expect(chartTime(t, 'en-US', 'America/New_York')).toBe('11/6/25, 8:30:05 AM');
    expect(chartTime(t, 'de-DE', 'Asia/Tokyo')).toBe('06.11.25, 22:30:05');
  });

  it('label axis ticks as times, days or months by their spacing, with the date under each new day', () => {
    const hourly = [0, 1, 2, 3].map((h) => t - 5 + h * 3600 - 30 * 60 + 9 * 3600); // 22:00 … 01:00 UTC
    expect(timeTicks(hourly, 3600, 'en-GB', 'UTC')).toEqual(['22:00\n6 Nov', '23:00', '00:00\n7 Nov', '01:00']);
    expect(timeTicks(hourly, 3600, 'en-US', 'UTC')).toEqual([
      '10:00 PM\nNov 6',
      '11:00 PM',
      '12:00 AM\nNov 7',
      '1:00 AM',
    ]);
    expect(timeTicks([t - 5, t + 25], 30, 'de-DE', 'UTC')).toEqual(['13:30:00\n6. Nov.', '13:30:30']);
    expect(timeTicks([t, t + 86_400], 86_400, 'de-DE', 'UTC')).toEqual(['6. Nov.', '7. Nov.']);
    expect(timeTicks([t, t + 31 * 86_400], 31 * 86_400, 'en-GB', 'UTC')).toEqual(['Nov 2025', 'Dec 2025']);
  });

  it('name the time zone with its offset', () => {
    expect(timeZoneLabel('en-GB', 'Asia/Tokyo')).toBe('Asia/Tokyo (GMT+9)');
    expect(timeZoneLabel('en-GB', 'Europe/Berlin', Date.UTC(2025, 6, 1))).toBe('Europe/Berlin (GMT+2)');
    expect(timeZoneLabel('en-GB', 'UTC')).toBe('UTC (GMT+0)');
  });
});
