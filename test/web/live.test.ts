/**
 * Live behaviour against a real server with a 2-second stale threshold: a
 * host that goes silent turns down in place, comes back on its next report,
 * and when the server goes away the page says so, then reconnects and
 * catches up once it is back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { makeReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/temp-dir.js';
import { API_KEY, launchBrowser, postReport, screenshot } from './browser.js';

const dir = tempDir('fleetwatch-web-live-');
const env = { DATA_DIR: dir.path, API_KEY, STALE_THRESHOLD_SECONDS: '2' };
let server: ServerProcess;
let browser: Browser;
let page: Page;
let heartbeat: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  server = await startServer(env);
  await postReport(server.url, makeReport('steady'));
  await postReport(server.url, makeReport('quiet'));
  // "steady" keeps reporting; "quiet" goes silent.
  heartbeat = setInterval(() => void postReport(server.url, makeReport('steady')).catch(() => {}), 500);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 600 } });
  await page.goto(`${server.url}/ui/`);
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
});

afterAll(async () => {
  clearInterval(heartbeat);
  await browser?.close();
  await server?.stop();
  dir.remove();
});

it('turns a silent host down live, with how long it has been silent, and back up on its next report', async () => {
  await page.locator('tr.host.down[data-alias="quiet"]').waitFor();
  expect(await page.locator('tr[data-alias="quiet"] .c-status .badge').innerText()).toMatch(/^down · silent \d+s$/);
  expect(await page.locator('tr[data-alias="steady"]').getAttribute('class')).toBe('host');
  expect(await page.getByTestId('hosts-down').innerText()).toBe('1');
  await screenshot(page, 'overview-host-down');

  await postReport(server.url, makeReport('quiet'));
  await page.locator('tr.host:not(.down)[data-alias="quiet"]').waitFor();
  expect(await page.locator('tr[data-alias="quiet"] .c-status .badge').innerText()).toBe('up');
});

it('says plainly when the server is unreachable, then reconnects and catches up', async () => {
  clearInterval(heartbeat);
  await server.stop();
  await page.getByTestId('connection-banner').filter({ hasText: 'Cannot reach the Fleetwatch server' }).waitFor();
  expect(await page.getByTestId('connection').getAttribute('data-state')).toBe('unreachable');
  await screenshot(page, 'overview-unreachable');

  // Back on the same port and data; a host that reported meanwhile appears without a reload.
  server = await startServer(env, server.port);
  await postReport(server.url, makeReport('newcomer'));
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 30_000 });
  await page.locator('tr[data-alias="newcomer"]').waitFor();
  expect(await page.getByTestId('connection-banner').count()).toBe(0);
});
