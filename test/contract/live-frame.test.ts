/** One live event written as an SSE frame and read back as the dashboard reads it. */
import { describe, expect, it } from 'vitest';
import { liveEventFrame, parseLiveEvent } from '../../src/contract/index.js';

/** The `event:` name and `data:` text of one frame, as EventSource splits it. */
function fields(frame: string): { id: string; event: string; data: string } {
  expect(frame.endsWith('\n\n')).toBe(true);
  const lines = frame.slice(0, -2).split('\n');
  expect(lines).toHaveLength(3);
  const [id, event, data] = lines.map((l) => l.slice(l.indexOf(': ') + 2)) as [string, string, string];
  return { id, event, data };
}

describe('live event frames', () => {
  it('keeps data with newlines on one data line and reads it back', () => {
    const frame = fields(
      liveEventFrame(7, 'down', { server_alias: 'a\nb\r\n', received_at: '2026-01-01T00:00:00.000Z' }),
    );
    expect(frame).toMatchObject({ id: '7', event: 'down' });
    expect(parseLiveEvent('down', frame.data)).toEqual({
      server_alias: 'a\nb\r\n',
      received_at: '2026-01-01T00:00:00.000Z',
    });
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '"host"'],
    ['no alias', '{"received_at":"x"}'],
    ['null', 'null'],
  ])('drops data that is %s', (_name, text) => {
    expect(parseLiveEvent('deleted', text)).toBeUndefined();
  });
});
