/**
 * The dashboard in real Chromium against a real server process: numbers,
 * sorting and filtering, live updates without reloads, host page, GPU view,
 * keyboard use, themes, and agent strings rendered as text. Screenshots of
 * every view go to test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { makeReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/temp-dir.js';
import { API_KEY, gpuHost, launchBrowser, postReport, screenshot } from './browser.js';

const XSS = '<img src=x onerror=alert(1)>';
const EVIL_ALIAS = '<i>evil</i>';

let server: ServerProcess;
let browser: Browser;
let page: Page;
const dir = tempDir('fleetwatch-web-');
const dialogs: string[] = [];

const alpha = () =>
  gpuHost(
    'alpha',
    [
      { util: 90, memMb: 40_000, user: 'alice' },
      { util: 0, memMb: 0 },
    ],
    {
      cpu: { percent: 42, loadavg: { '1m': 3.5, '5m': 3, '15m': 2 } },
      memory: { total_gb: 64, used_gb: 35.2, percent: 55 },
      disks: [
        { mountpoint: '/', fstype: 'ext4', free_gb: 140, total_gb: 200, percent: 30 },
        { mountpoint: '/data', fstype: 'xfs', free_gb: 380, total_gb: 2000, percent: 81 },
      ],
      users: [
        { name: 'alice', tty: 'pts/0', host: '10.0.0.5', started: '2025-11-06T09:30:00' },
        { name: 'bob', tty: 'pts/1', host: '10.0.0.6', started: '2025-11-06T10:00:00' },
      ],
      labels: ['gpu', 'a100'],
    },
  );
const beta = () =>
  makeReport('beta', {
    cpu: { percent: 7, loadavg: { '1m': 0.1, '5m': 0.1, '15m': 0.1 } },
    gpus: [],
    group: 'web',
    labels: ['cpu-only'],
  });
const gamma = () => makeReport('gamma', { agent_version: '0.1.0', protocol_version: 1 }); // one RTX 3090, 72% busy, 9000 MB

/** The text of one cell of a host's overview row. */
const cell = (alias: string, col: string) => page.locator(`tr[data-alias="${alias}"] .c-${col}`).first().innerText();
const rowAliases = () => page.locator('tr.host').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alias')));

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dir.path, API_KEY });
  for (const r of [alpha(), beta(), gamma()]) await postReport(server.url, r);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${server.url}/ui/`);
  await page.locator('tr[data-alias="gamma"]').waitFor();
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  dir.remove();
});

describe('overview', () => {
  it('shows every host with the numbers its agent sent', async () => {
    expect(await rowAliases()).toEqual(['alpha', 'beta', 'gamma']);
    expect(await cell('alpha', 'cpu')).toContain('42%');
    expect(await cell('alpha', 'cpu')).toContain('load 3.50');
    expect(await cell('alpha', 'mem')).toContain('55%');
    expect(await cell('alpha', 'mem')).toContain('35.2 GB / 64.0 GB');
    expect(await cell('alpha', 'disk')).toContain('81%'); // the busiest disk
    expect(await cell('alpha', 'disk')).toContain('/data');
    expect(await cell('alpha', 'users')).toBe('alice, bob');
    expect(await cell('alpha', 'uptime')).toBe('30d 0h');
    // The benchmark's timing probes stay off unless a benchmark asks for them (?perf=1).
    expect(await page.evaluate(() => '__fleetwatchPerf' in window)).toBe(false);
    expect(await cell('beta', 'cpu')).toContain('7.0%');
    expect(await cell('beta', 'group')).toBe('web');
    expect(await page.locator('tr[data-alias="alpha"] .gpu-mini li').count()).toBe(2);
    expect(await page.locator('tr[data-alias="alpha"] .gpu-mini li.free').count()).toBe(1);
    expect(await page.locator('tr[data-alias="alpha"] .labels li').allInnerTexts()).toEqual(['gpu', 'a100']);
    expect(await page.getByTestId('hosts-up').innerText()).toBe('3');
    expect(await page.getByTestId('hosts-down').innerText()).toBe('0');
    expect(await page.getByTestId('gpus-busy').innerText()).toBe('2');
    expect(await page.getByTestId('gpus-free').innerText()).toBe('1');
    expect(await page.getByTestId('gpu-mem').innerText()).toBe('47.9 GB'); // 40000 + 0 + 9000 MB
    await screenshot(page, 'overview');
  });

  it('sorts by a column, filters by text, status and label, and groups', async () => {
    await page.getByRole('button', { name: 'CPU' }).click();
    expect(await rowAliases()).toEqual(['alpha', 'gamma', 'beta']); // busiest first
    await page.getByRole('button', { name: 'CPU' }).click();
    expect(await rowAliases()).toEqual(['beta', 'gamma', 'alpha']);
    await page.getByRole('button', { name: 'Host' }).click();

    await page.getByLabel('Filter').fill('alice'); // matches a logged-in user
    expect(await rowAliases()).toEqual(['alpha']);
    await page.getByLabel('Filter').fill('');
    await page.getByLabel('Label', { exact: true }).selectOption('cpu-only');
    expect(await rowAliases()).toEqual(['beta']);
    await page.getByLabel('Label', { exact: true }).selectOption('');
    await page.getByLabel('Status').selectOption('down');
    expect(await rowAliases()).toEqual([]);
    await page.getByLabel('Status').selectOption('all');

    await page.getByLabel('Group by').selectOption('group');
    expect(await page.locator('tr.group-row').allInnerTexts()).toEqual(['production (2)', 'web (1)']);
    await screenshot(page, 'overview-grouped');
    await page.getByLabel('Group by').selectOption('none');
  });

  it('is keyboard navigable: tab to a sort button and press Enter', async () => {
    await page.locator('body').focus();
    let label = '';
    for (let i = 0; i < 30 && label !== 'Memory'; i++) {
      await page.keyboard.press('Tab');
      label = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    }
    expect(label).toBe('Memory');
    await page.keyboard.press('Enter');
    expect(await page.locator('th.c-mem').getAttribute('aria-sort')).toBe('descending');
    expect(await rowAliases()).toEqual(['alpha', 'beta', 'gamma']); // 55%, then a 31.2% tie in alias order
    await page.getByRole('button', { name: 'Host' }).click();
  });

  it('applies a new report, a new host and a removal live, without reloading', async () => {
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    await postReport(server.url, { ...alpha(), cpu: { percent: 88, loadavg: { '1m': 7, '5m': 5, '15m': 4 } } });
    await page.locator('tr[data-alias="alpha"] .c-cpu', { hasText: '88%' }).waitFor();
    await postReport(server.url, makeReport('delta', { gpus: [] }));
    await page.locator('tr[data-alias="delta"]').waitFor();
    expect(await page.getByTestId('hosts-up').innerText()).toBe('4');

    const del = await fetch(`${server.url}/api/server/delta`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(del.status).toBe(200);
    await page.locator('tr[data-alias="delta"]').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  });

  it('renders agent-supplied strings as text, never as HTML', async () => {
    await postReport(
      server.url,
      makeReport(EVIL_ALIAS, {
        hostname: 'evil',
        labels: [XSS],
        users: [{ name: XSS, tty: 'pts/0', host: XSS, started: XSS }],
        containers: [
          {
            id: 'abcdef123456',
            name: XSS,
            image: XSS,
            state: 'running',
            created: XSS,
            ports: XSS,
            cpu_pct: 1,
            mem_mb: 10,
          },
        ],
        gpus: [
          {
            index: 0,
            name: XSS,
            utilization_pct: 10,
            memory_used_mb: 100,
            memory_total_mb: 1000,
            temperature_celsius: null,
            fan_speed_pct: null,
            power_draw_watts: null,
            processes: [{ pid: 1, username: XSS, cmd: XSS, used_memory_mb: 100, type: 'C' }],
          },
        ],
      }),
    );
    const row = page.locator(`tr[data-alias="${EVIL_ALIAS}"]`);
    await row.waitFor();
    expect(await row.locator('.alias').innerText()).toBe(EVIL_ALIAS);
    expect(await row.locator('.c-users').innerText()).toBe(XSS);
    await row.locator('.alias').click();
    await page.getByTestId('containers').waitFor();
    expect(await page.locator('[data-testid="containers"] td.c-name').innerText()).toBe(XSS);
    expect(await page.locator('[data-testid="gpu-processes"] code').innerText()).toBe(XSS);
    expect(await page.locator('#host-title').innerText()).toBe(EVIL_ALIAS);
    expect(await page.locator('main img, main i').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await screenshot(page, 'host-page-hostile-strings');
  });
});

describe('host page', () => {
  it('shows GPU processes, containers and users of the host', async () => {
    await page.goto(`${server.url}/ui/hosts/gamma`);
    await page.getByTestId('containers').waitFor();
    expect(await page.locator('.host-head').innerText()).toContain('agent 0.1.0');
    expect(await page.locator('[data-testid="containers"] tbody tr').allInnerTexts()).toEqual([
      expect.stringContaining('trainer'),
    ]);
    expect(await page.locator('[data-testid="gpu-processes"] tbody tr').innerText()).toMatch(
      /0\s+satya\s+4242\s+8\.7 GB\s+python train\.py/,
    );
    expect(await page.locator('[data-testid="users"] tbody tr').innerText()).toContain('satya');
  });

  it('draws history charts from /api/history, with range presets and drag-to-zoom', async () => {
    const now = Date.now();
    for (const [i, cpu] of [15, 60, 35].entries()) {
      await postReport(server.url, {
        ...alpha(),
        cpu: { percent: cpu, loadavg: { '1m': 1, '5m': 1, '15m': 1 } },
        timestamp: new Date(now - (3 - i) * 60_000).toISOString(),
      });
    }
    await page.goto(`${server.url}/ui/hosts/alpha`);
    const cpuChart = page.locator('figure[data-chart="cpu"]');
    await cpuChart.locator('canvas').waitFor();
    // The three reports above plus the earlier ones: the chart holds what history returned.
    const history = (await (await fetch(`${server.url}/api/history/alpha?metrics=cpu&from=-1h`)).json()) as {
      series: { cpu: (number | null)[] };
    };
    const stored = history.series.cpu.filter((v) => v !== null).length;
    expect(stored).toBeGreaterThanOrEqual(3);
    expect(Number(await cpuChart.getAttribute('data-points'))).toBe(stored);
    const charts = await page
      .locator('figure[data-chart]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-chart')));
    expect(charts).toEqual([
      'cpu',
      'load',
      'mem',
      'disk',
      'gpu-util',
      'gpu-mem',
      'gpu-temp',
      'gpu-power',
      'container-cpu',
      'container-mem',
    ]);
    expect(await page.locator('figure[data-chart="disk"] .u-legend').innerText()).toContain('/data');
    expect(await page.locator('figure[data-chart="gpu-util"] .u-legend').innerText()).toContain('GPU 1');
    await screenshot(page, 'host-page');

    await page.getByRole('button', { name: '7d' }).click();
    expect(await page.getByRole('button', { name: '7d' }).getAttribute('aria-pressed')).toBe('true');
    const box = (await cpuChart.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.getByRole('button', { name: 'reset zoom' }).waitFor();
    expect(await page.locator('.presets [aria-pressed="true"]').count()).toBe(0);
  });
});

describe('GPU view', () => {
  it('lists every GPU with its user, marks free ones and idle allocations, and filters by model and group', async () => {
    // carol holds 30 GB on a GPU that does nothing: an idle allocation.
    await postReport(server.url, gpuHost('idler', [{ util: 0, memMb: 30_000, user: 'carol' }], { group: 'ml' }));
    await page.goto(`${server.url}/ui/`);
    await page.locator('tr[data-alias="alpha"]').waitFor();
    await page.getByRole('link', { name: 'GPUs' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('gpu-grid').waitFor();
    expect(await page.locator('.gpu-card[data-gpu="alpha/0"] .gpu-users').innerText()).toBe('alice');
    expect(
      await page.locator('.gpu-card.free').evaluateAll((els) => els.map((e) => e.getAttribute('data-gpu'))),
    ).toEqual(['alpha/1']);
    expect(
      await page.locator('.gpu-card.idle').evaluateAll((els) => els.map((e) => e.getAttribute('data-gpu'))),
    ).toEqual(['idler/0']);
    expect(await page.locator('.gpu-card[data-gpu="idler/0"] .gpu-users').innerText()).toBe('carol');
    expect(await page.getByTestId('gpu-view-idle').innerText()).toBe('1');
    const all = await page.locator('.gpu-card').count();
    await page.getByLabel('Show').selectOption('idle');
    expect(await page.locator('.gpu-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-gpu')))).toEqual([
      'idler/0',
    ]);
    await page.getByLabel('Show').selectOption('free');
    expect(await page.locator('.gpu-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-gpu')))).toEqual([
      'alpha/1',
    ]);
    await page.getByLabel('Show').selectOption('all');
    await page.getByLabel('Model').selectOption('RTX 3090');
    expect(await page.locator('.gpu-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-gpu')))).toEqual([
      'gamma/0',
    ]);
    await page.getByLabel('Model').selectOption('');
    await page.getByLabel('Group').selectOption('web');
    expect(await page.locator('.gpu-card').count()).toBe(0); // beta has no GPU
    await page.getByLabel('Group').selectOption('');
    expect(await page.locator('.gpu-card').count()).toBe(all);
    await screenshot(page, 'gpus');
  });
});

describe('themes and small screens', () => {
  it('follows a dark system theme and fits a phone', async () => {
    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      isMobile: true,
      hasTouch: true,
    });
    await phone.goto(`${server.url}/ui/`);
    await phone.locator('tr[data-alias="alpha"]').waitFor();
    const darkBg = await phone.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(darkBg).not.toBe(lightBg);
    // Nothing wider than the screen: no sideways scrolling on a phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'overview-phone-dark', false);
    await phone.close();
  });
});
