/**
 * The live hub against a real app and SQLite file, fed by the app's fleet
 * monitor: what a check costs does not multiply with its listeners, and
 * under pacing (a frame budget, a rest after each check) changes are batched
 * and every host gets its turn.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { LiveHub, type LiveHubOptions } from '../../../src/server/live/live-hub.js';
import { AUTH, testApp, type TestApp } from '../../helpers/test-app.js';
import { makeReport } from '../../helpers/reports.js';

let t: TestApp | undefined;
let hub: LiveHub | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  hub?.close();
  await t?.close();
  t = hub = undefined;
});

interface Received {
  event: string;
  alias: string;
}

/** The events in one frame, in order. */
function eventsOf(frame: Buffer): Received[] {
  return frame
    .toString('utf8')
    .split('\n\n')
    .filter((block) => block.includes('event: '))
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)![1]!,
      alias: (JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { server_alias: string }).server_alias,
    }));
}

async function post(alias: string): Promise<void> {
  const res = await t!.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: makeReport(alias) });
  expect(res.statusCode).toBe(200);
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A hub on a fresh app, its first listener collecting frames; resolves once the hub has sent its first frame. */
async function startHub(
  options: Partial<LiveHubOptions> = {},
  seed: string[] = [],
  app: Parameters<typeof testApp>[0] = {},
): Promise<Buffer[]> {
  t = await testApp(app);
  for (const alias of seed) await post(alias);
  const { monitor, fleet } = t.ctx;
  hub = new LiveHub({ monitor, fleet, ...options });
  const frames: Buffer[] = [];
  hub.subscribe((frame) => frames.push(frame));
  // Reports before the hub listened are not sent; the first one after is.
  await post('warm-up');
  await until(() => frames.length > 0);
  expect(eventsOf(frames[0]!)).toEqual([{ event: 'report', alias: 'warm-up' }]);
  return frames;
}

it('serializes a host status once and sends every listener the same bytes, however many listen', async () => {
  const first = await startHub();
  const others = Array.from({ length: 49 }, () => [] as Buffer[]);
  for (const frames of others) hub!.subscribe((frame) => frames.push(frame));
  const stringify = vi.spyOn(JSON, 'stringify');
  await post('web-1');
  await until(() => first.some((f) => eventsOf(f).some((e) => e.alias === 'web-1')));

  const ofStatus = stringify.mock.calls.filter(
    ([value]) =>
      (value as { container_count?: number; server_alias?: string } | null)?.container_count !== undefined &&
      (value as { server_alias: string }).server_alias === 'web-1',
  );
  expect(ofStatus).toHaveLength(1);
  const frame = first.at(-1)!;
  for (const frames of others) expect(frames.at(-1)).toBe(frame);
});

it('folds the reports that arrive while the hub rests into the next frame', async () => {
  const frames = await startHub({ restAfter: () => 300 });
  const before = frames.length;
  await post('a');
  await post('b');
  await until(() => frames.length > before);
  // (The last warm-up report may have landed during the rest too.)
  expect(
    eventsOf(frames[before]!)
      .map((e) => e.alias)
      .filter((a) => a !== 'warm-up'),
  ).toEqual(['a', 'b']);
});

it('within a frame budget, sends every changed host in turn, even one behind a host that reports before every check', async () => {
  const frames = await startHub({ frameBudget: () => 1, restAfter: () => 100 }, ['hot', 'a', 'b', 'c']);
  for (const alias of ['a', 'b', 'c', 'hot']) await post(alias);
  for (let i = 0; i < 6; i++) {
    const seen = frames.length;
    await until(() => frames.length > seen);
    await post('hot'); // during the rest: 'hot', first in the fleet, has changed again by every check
  }
  for (const frame of frames) expect(eventsOf(frame)).toHaveLength(1);
  const sent = frames.flatMap((f) => eventsOf(f).map((e) => e.alias));
  expect(sent).toEqual(expect.arrayContaining(['hot', 'a', 'b', 'c']));
});

it('folds several changes of one host while it waits into one event, named by what listeners last heard', async () => {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const frames = await startHub({ restAfter: () => 300 }, [], { now: () => clock, staleThresholdSeconds: 10 });
  await post('a');
  await until(() => frames.some((f) => eventsOf(f).some((e) => e.alias === 'a')));
  const before = frames.length;
  // While the hub rests: a goes down (seen by a read), then reports again.
  clock += 10_001;
  await t!.ctx.monitor.catchUp();
  await post('a');
  await until(() => frames.length > before);
  expect(
    frames
      .slice(before)
      .flatMap(eventsOf)
      .filter((e) => e.alias === 'a'),
  ).toEqual([{ event: 'report', alias: 'a' }]);
});
