/**
 * The overview with 1,000 hosts in real Chromium: the table is windowed (only
 * rows near the screen are in the DOM), so these check that nothing is lost
 * by it: scrolling to the bottom shows the last host, the filter finds hosts
 * far off screen, Tab walks past the first screenful, and a live update to an
 * off-screen host is there when it scrolls in. Screenshots of the top and the
 * bottom go to test-artifacts/.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hostAlias } from '../../bench/fleet.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { makeReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/temp-dir.js';
import { API_KEY, launchBrowser, postReport, screenshot } from './browser.js';

const HOSTS = 1000;
const dir = tempDir('fleetwatch-web-large-');
let server: ServerProcess;
let browser: Browser;
let page: Page;

/** Host i: every fourth one a GPU box labelled "gpu", the others without GPUs. */
const report = (i: number, cpu = (i * 37) % 100) =>
  makeReport(hostAlias(i), {
    cpu: { percent: cpu, loadavg: { '1m': 1, '5m': 1, '15m': 1 } },
    group: `rack-${Math.floor(i / 100)}`,
    labels: i % 4 === 0 ? ['gpu'] : ['cpu'],
    ...(i % 4 === 0 ? {} : { gpus: [] }),
    ...(i === 777
      ? { users: [{ name: 'zoe-far-away', tty: 'pts/3', host: '10.0.0.9', started: '2025-11-06T09:30:00' }] }
      : {}),
  });

const rendered = () => page.locator('tr.host').count();
/** Whether a host's row is in the DOM and inside the window. */
const onScreen = (alias: string) =>
  page.locator(`tr.host[data-alias="${alias}"]`).evaluate((row) => {
    const box = row.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dir.path, API_KEY, LOG_LEVEL: 'warn' });
  for (let i = 0; i < HOSTS; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, HOSTS - i) }, (_, k) => postReport(server.url, report(i + k))));
  }
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
  // perf=1: the live-update timings below come from the page's benchmark probes.
  await page.goto(`${server.url}/ui/?perf=1`);
  await page.locator(`tr[data-alias="${hostAlias(0)}"]`).waitFor();
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  dir.remove();
});

it('counts every host but puts only the rows near the screen in the DOM', async () => {
  expect(await page.getByTestId('hosts-up').innerText()).toBe(String(HOSTS));
  expect(await page.getByTestId('gpus-busy').innerText()).toBe(String(HOSTS / 4));
  const rows = await rendered();
  expect(rows).toBeGreaterThan(8); // a screenful
  expect(rows).toBeLessThan(60); // not the fleet
  expect(await onScreen(hostAlias(0))).toBe(true);
  expect(await page.locator(`tr[data-alias="${hostAlias(999)}"]`).count()).toBe(0);
  await screenshot(page, 'overview-1000-top', false);
});

it('shows the last host after scrolling to the bottom, and the first again at the top', async () => {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const last = page.locator(`tr[data-alias="${hostAlias(999)}"]`);
  await last.waitFor();
  expect(await onScreen(hostAlias(999))).toBe(true);
  expect(await last.locator('.c-cpu').innerText()).toContain(`${(999 * 37) % 100}%`);
  expect(await page.locator(`tr[data-alias="${hostAlias(0)}"]`).count()).toBe(0);
  await screenshot(page, 'overview-1000-bottom', false);

  // Half way: the rows there, in order, with none missing on screen.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('tr.host')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.bottom > 0 && b.top < window.innerHeight;
    });
    return (
      rows.length > 8 &&
      rows.every(
        (r) =>
          r.getAttribute('data-alias')!.startsWith('host-004') || r.getAttribute('data-alias')!.startsWith('host-005'),
      )
    );
  });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator(`tr[data-alias="${hostAlias(0)}"]`).waitFor();
});

it('finds hosts far off screen with the filter, and sorts the whole fleet', async () => {
  await page.getByLabel('Filter').fill('zoe-far-away'); // a user logged in on host 777 only
  await page.locator(`tr[data-alias="${hostAlias(777)}"]`).waitFor();
  expect(await page.locator('tr.host').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alias')))).toEqual([
    hostAlias(777),
  ]);
  await page.getByLabel('Filter').fill(hostAlias(998));
  await page.locator(`tr[data-alias="${hostAlias(998)}"]`).waitFor();
  expect(await rendered()).toBe(1);
  await page.getByLabel('Filter').fill('');

  // Sorted by CPU, busiest first: a 99% host comes first, wherever it was.
  await page.getByRole('button', { name: 'CPU' }).click();
  const first = await page.locator('tr.host').first().getAttribute('data-alias');
  expect(await page.locator(`tr[data-alias="${first}"] .c-cpu`).innerText()).toContain('99%');
  await page.getByRole('button', { name: 'Host' }).click();

  await page.getByLabel('Group by').selectOption('group');
  expect(await page.locator('tr.group-row').first().innerText()).toBe('rack-0 (100)');
  expect(await page.getByTestId('hosts-table').getAttribute('aria-rowcount')).toBe(String(1 + 10 + HOSTS)); // header, 10 groups, hosts
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.locator(`tr[data-alias="${hostAlias(999)}"]`).waitFor();
  expect(await onScreen(hostAlias(999))).toBe(true);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByLabel('Group by').selectOption('none');
});

it('walks the rows with Tab past the first screenful', async () => {
  await page.locator(`tr[data-alias="${hostAlias(0)}"] a.alias`).focus();
  const initial = await rendered();
  for (let i = 0; i < initial + 5; i++) await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-alias'));
  expect(focused).toBe(hostAlias(initial + 5));
  expect(await onScreen(hostAlias(initial + 5))).toBe(true);
  await page.evaluate(() => window.scrollTo(0, 0));
});

it('applies a live update to an off-screen host, seen when it scrolls in', async () => {
  await postReport(server.url, report(640, 3));
  await page.waitForFunction(
    () => (window as unknown as { __fleetwatchPerf: { updates: number[] } }).__fleetwatchPerf.updates.length > 0,
  );
  await page.locator(`tr[data-alias="${hostAlias(640)}"]`).waitFor({ state: 'detached' }); // still off screen
  await page.evaluate(() => window.scrollTo(0, 640 * 70));
  await page.locator(`tr[data-alias="${hostAlias(640)}"] .c-cpu`, { hasText: '3.0%' }).waitFor();
});
