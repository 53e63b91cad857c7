/**
 * The host page and the GPU cards in real Chromium against a real server fed
 * a simulated lab: containers beside users, sizes in GB and TB, GPU colours,
 * layout with long names and 16 GPUs (desktop and phone), the report's age,
 * and deleting a host with the API key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { makeReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/temp-dir.js';
import { API_KEY, launchBrowser, postReport, screenshot } from './browser.js';
import { labFleet, labGpuBox, LONG_GPU_NAME } from './lab-fleet.js';
import { cssColor, lineCounts, overflowing } from './layout-checks.js';

const LONG_ALIAS = 'gpu-node-with-a-rather-long-alias-07';
const dir = tempDir('fleetwatch-web-host-');
let server: ServerProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dir.path, API_KEY });
  for (const r of labFleet()) await postReport(server.url, r);
  await postReport(server.url, labGpuBox(LONG_ALIAS, { count: 8, name: LONG_GPU_NAME, idle: [2], free: [6] }));
  await postReport(server.url, makeReport('retired-01', { group: 'services', gpus: [] }));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  dir.remove();
});

async function openHost(p: Page, alias: string): Promise<void> {
  await p.goto(`${server.url}/ui/hosts/${encodeURIComponent(alias)}`);
  await p.locator('#host-title').waitFor();
}

/** The `/api/status` entry of one host. */
async function statusOf(alias: string): Promise<{ received_at: string } | undefined> {
  const { results } = (await (await fetch(`${server.url}/api/status`)).json()) as {
    results: { server_alias: string; received_at: string }[];
  };
  return results.find((h) => h.server_alias === alias);
}

describe('GPU processes', () => {
  it('shows the container beside the user, in the table, on the GPU tiles and on the GPU cards', async () => {
    await openHost(page, 'a100-01');
    const table = page.getByTestId('gpu-processes');
    expect(await table.locator('thead th').allInnerTexts()).toEqual([
      'GPU',
      'User',
      'Container',
      'PID',
      'Memory',
      'Command',
    ]);
    // GPU 3's job runs as root: only its container says whose it is.
    expect(await table.locator('tbody tr').nth(3).innerText()).toMatch(/^3\s+root\s+dmitri-job-3\s+41051\s+52\.0 GB/);
    const tile = page.locator('.now-grid .tile[data-gpu="3"]');
    expect(await tile.locator('.gpu-procs').innerText()).toMatch(/root\s+in container\s+dmitri-job-3/);
    await screenshot(page, 'host-page-8-gpus');

    await page.goto(`${server.url}/ui/gpus`);
    await page.getByTestId('gpu-grid').waitFor();
    expect(await page.locator('.gpu-card[data-gpu="a100-01/3"] .gpu-users').innerText()).toMatch(
      /root\s+in container\s+dmitri-job-3/,
    );
  });
});

describe('units and colours', () => {
  it('shows memory and disk sizes in GB and TB where they are large', async () => {
    await openHost(page, 'nas-01');
    const tiles = page.locator('.now-grid .tile');
    expect(await tiles.filter({ hasText: '/tank' }).locator('.sub').innerText()).toBe('18.6 TB free of 48.8 TB');
    expect(await tiles.filter({ hasText: 'Memory' }).locator('.sub').innerText()).toBe('201 GB / 256 GB');
    await openHost(page, 'a100-01');
    expect(await tiles.filter({ hasText: 'Memory' }).first().locator('.sub').innerText()).toBe('1.3 TB / 2.0 TB');
    expect(await page.locator('.tile[data-gpu="0"] .gpu-figures').innerText()).toMatch(/^29\.3 GB \/ 79\.6 GB/);
    await page.getByTestId('containers').waitFor();
    expect(await page.locator('[data-testid="containers"] tbody tr').first().innerText()).toContain('46.9 GB');
  });

  it('paints a busy GPU in the busy colour, not the alarm red of a full disk, and flags idle allocations', async () => {
    await openHost(page, 'a100-01');
    const busy = await cssColor(page, 'var(--busy)');
    const crit = await cssColor(page, 'var(--crit)');
    const fill = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await fill('.tile[data-gpu="0"] .bar-fill')).toBe(busy); // 92% busy
    expect(await fill('.tile[data-gpu="0"] .bar-fill')).not.toBe(crit);
    const scratch = page.locator('.now-grid .tile').filter({ hasText: '/scratch' }).locator('.bar-fill');
    expect(await scratch.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(crit); // 95% full
    expect(await page.locator('.tile.idle').evaluateAll((els) => els.map((e) => e.getAttribute('data-gpu')))).toEqual([
      '5',
    ]);
    expect(await page.locator('.tile[data-gpu="5"] .badge').innerText()).toBe('idle allocation');
  });
});

describe('layout', () => {
  const captions = (p: Page, box: string) =>
    p
      .locator(box)
      .evaluateAll((els) =>
        els.map((el) => [...el.querySelectorAll('.bar-caption')].map((c) => (c as HTMLElement).innerText).join('+')),
      );

  it('fits a 16-GPU host with long GPU names, each GPU with a legend for its two bars', async () => {
    await openHost(page, 'dgx-h100-16');
    expect(await page.locator('.now-grid .tile[data-gpu]').count()).toBe(16);
    expect(await overflowing(page, '.now-grid .tile')).toEqual([]);
    expect(await lineCounts(page, '.now-grid .tile[data-gpu] h3')).toEqual(Array(16).fill(1));
    expect(await captions(page, '.now-grid .tile[data-gpu]')).toEqual(Array(16).fill('Utilization+Memory'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1400);
    await screenshot(page, 'host-page-16-gpus');
  });

  it('keeps GPU card headers on one line, with the legend, at desktop and phone sizes', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    for (const p of [page, phone]) {
      await p.goto(`${server.url}/ui/gpus`);
      await p.getByTestId('gpu-grid').waitFor();
      const cards = await p.locator('.gpu-card').count();
      expect(cards).toBe(8 * 8 + 16 + 8);
      expect(await lineCounts(p, '.gpu-head')).toEqual(Array(cards).fill(1));
      expect(await overflowing(p, '.gpu-card')).toEqual([]);
      expect(await captions(p, '.gpu-card')).toEqual(Array(cards).fill('Utilization+Memory'));
    }
    await screenshot(page, 'gpus-long-names', false);
    await screenshot(phone, 'gpus-phone', false);

    await openHost(phone, LONG_ALIAS);
    expect(await overflowing(phone, '.now-grid .tile')).toEqual([]);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'host-page-phone', false);
    await phone.getByTestId('gpu-processes').scrollIntoViewIfNeeded();
    await screenshot(phone, 'host-page-phone-processes', false);
    await phone.locator('figure[data-chart="gpu-util"]').scrollIntoViewIfNeeded();
    await screenshot(phone, 'host-page-phone-charts', false);
    await phone.close();
  });
});

describe('how old the data is', () => {
  it('says when the last report came, ticking', async () => {
    const receivedAt = Date.parse((await statusOf('a100-02'))!.received_at);
    const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await p.clock.setFixedTime(receivedAt + 42_000);
    await openHost(p, 'a100-02');
    expect(await p.getByTestId('last-report').innerText()).toBe('last report 42s ago');
    await p.clock.setFixedTime(receivedAt + 125_000);
    await p.getByTestId('last-report').filter({ hasText: 'last report 2m 5s ago' }).waitFor();
    await p.close();
  });
});

describe('deleting a host', () => {
  it('asks for confirmation and the API key, shows the server’s answer, and returns to the fleet', async () => {
    await openHost(page, 'retired-01');
    await page.getByRole('button', { name: 'Delete host…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete retired-01?' });
    await dialog.waitFor();
    await dialog.getByLabel('API key').fill('not-the-key');
    await screenshot(page, 'host-delete-dialog', false);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    expect(await dialog.getByRole('alert').innerText()).toBe('Invalid or missing API key');
    expect(await statusOf('retired-01')).toBeDefined();
    await screenshot(page, 'host-delete-refused', false);

    // Cancel sends nothing and closes.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await statusOf('retired-01')).toBeDefined();

    await page.getByRole('button', { name: 'Delete host…' }).click();
    expect(await dialog.getByLabel('API key').inputValue()).toBe(''); // the key is not kept
    await dialog.getByLabel('API key').fill(API_KEY);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.waitForURL(`${server.url}/ui/`);
    await page.locator('tr[data-alias="a100-01"]').waitFor();
    // The fleet may have been drawn just before the live 'deleted' event: the row must then leave by itself.
    await page.locator('tr[data-alias="retired-01"]').waitFor({ state: 'detached', timeout: 5000 });
    expect(await statusOf('retired-01')).toBeUndefined();
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toContain(API_KEY);
  });
});
