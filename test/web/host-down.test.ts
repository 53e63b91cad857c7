/**
 * A down host's page in real Chromium against a real server with a 1-second
 * stale threshold: its values are dimmed and dated ("as of <time>"), not
 * shown as if live, and the page comes back to life on the next report.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { API_KEY, launchBrowser, postReport, screenshot } from './browser.js';
import { labGpuBox } from './lab-fleet.js';

const dir = tempDir('fleetwatch-web-down-');
const report = () => labGpuBox('a100-silent', { count: 8, name: 'NVIDIA A100-SXM4-80GB', idle: [3] });
let server: ServerProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dir.path, API_KEY, STALE_THRESHOLD_SECONDS: '1' });
  await postReport(server.url, report());
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  dir.remove();
});

const opacity = (selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => Number(getComputedStyle(el).opacity));

it('dims a down host’s values and says when they were true', async () => {
  await page.goto(`${server.url}/ui/hosts/a100-silent`);
  await page.getByTestId('down-badge').waitFor(); // the server's stale timer, not a sleep of ours
  const { results } = (await (await fetch(`${server.url}/api/status`)).json()) as {
    results: { received_at: string }[];
  };
  const asOf = new Date(results[0]!.received_at).toLocaleString('en-GB', {
    timeZone: 'UTC',
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
  expect(await page.getByTestId('as-of').innerText()).toBe(`Not live: these values are as of ${asOf}.`);
  for (const part of ['.now-grid', '.host-tables']) expect(await opacity(part)).toBeLessThan(0.7);
  await screenshot(page, 'host-page-down');
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto(`${server.url}/ui/hosts/a100-silent`);
  await phone.getByTestId('as-of').waitFor();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(phone, 'host-page-down-phone');
  await phone.close();

  // Reporting again (often enough to stay up under the 1 s threshold) brings the page back to life.
  const heartbeat = setInterval(() => void postReport(server.url, report()).catch(() => {}), 250);
  try {
    await page.getByTestId('as-of').waitFor({ state: 'detached' });
    for (const part of ['.now-grid', '.host-tables']) expect(await opacity(part)).toBe(1);
  } finally {
    clearInterval(heartbeat);
  }
});
