/**
 * The overview's and the GPU view's controls in real Chromium against a real
 * server: the filter finds people by their GPU processes (user, command,
 * container) and says which field matched, the GPU view filters by user, the
 * whole header cell sorts, every control lives in the URL (a reload or a
 * bookmark brings the view back), each row says how old its report is, and
 * the banner says once that the server is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { makeReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/temp-dir.js';
import type { HostStatus, ReportInput } from '../../src/contract/index.js';
import { API_KEY, launchBrowser, postReport, screenshot } from './browser.js';

type Proc = { user: string; cmd: string; container: string | null };

/** A host whose GPU i runs procs[i] (or nothing). */
function host(alias: string, procs: (Proc | null)[], overrides: Partial<ReportInput> = {}): ReportInput {
  return makeReport(alias, {
    users: [{ name: 'admin', tty: 'pts/0', host: '10.0.0.5', started: '2025-11-06T09:30:00' }],
    gpus: procs.map((p, index) => ({
      index,
      name: 'NVIDIA H100 80GB HBM3',
      utilization_pct: p ? 80 : 0,
      memory_used_mb: p ? 30_000 : 0,
      memory_total_mb: 81_559,
      temperature_celsius: 40,
      fan_speed_pct: null,
      power_draw_watts: 300,
      processes: p
        ? [
            {
              pid: 100 + index,
              username: p.user,
              cmd: p.cmd,
              used_memory_mb: 29_000,
              type: 'C',
              container: p.container,
            },
          ]
        : [],
    })),
    ...overrides,
  });
}

const HOSTS = [
  host(
    'alpha',
    [
      { user: 'root', cmd: 'python /workspace/train_resnet.py --epochs 90', container: 'carol-pytorch' },
      { user: 'bob', cmd: 'python eval.py', container: null },
    ],
    { cpu: { percent: 80, loadavg: { '1m': 1, '5m': 1, '15m': 1 } }, group: 'vision' },
  ),
  host('beta', [{ user: 'carol', cmd: 'jupyter-lab --port 8888', container: null }, null], {
    cpu: { percent: 10, loadavg: { '1m': 1, '5m': 1, '15m': 1 } },
    group: 'nlp',
  }),
  host('gamma', [null], { cpu: { percent: 50, loadavg: { '1m': 1, '5m': 1, '15m': 1 } }, labels: ['spare'] }),
];

const dir = tempDir('fleetwatch-web-controls-');
let server: ServerProcess;
let browser: Browser;
let page: Page;

const rowAliases = () => page.locator('tr.host').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alias')));
const cards = () => page.locator('.gpu-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-gpu')));
const hint = (alias: string) => page.locator(`tr[data-alias="${alias}"] [data-testid="match-hint"]`).innerText();

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dir.path, API_KEY });
  for (const r of HOSTS) await postReport(server.url, r);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
  await page.goto(`${server.url}/ui/`);
  await page.locator('tr[data-alias="gamma"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  dir.remove();
});

describe('fleet filter', () => {
  it('finds a host by its GPU processes: user, command and container, and says which field matched', async () => {
    const filter = page.getByLabel('Filter');
    await filter.fill('carol');
    // beta: carol runs a GPU process; alpha: her job runs as root in her container.
    expect(await rowAliases()).toEqual(['alpha', 'beta']);
    expect(await hint('alpha')).toBe('container: carol-pytorch');
    expect(await hint('beta')).toBe('GPU user: carol');
    await screenshot(page, 'fleet-filter-gpu-user');

    await filter.fill('resnet');
    expect(await rowAliases()).toEqual(['alpha']);
    expect(await hint('alpha')).toContain('command: ');
    expect(await hint('alpha')).toContain('train_resnet.py');

    await filter.fill('JUPYTER');
    expect(await rowAliases()).toEqual(['beta']);
    expect(await hint('beta')).toBe('command: jupyter-lab --port 8888');

    // The fields the filter always searched still match, with their own hint.
    await filter.fill('admin');
    expect(await rowAliases()).toEqual(['alpha', 'beta', 'gamma']);
    expect(await hint('gamma')).toBe('logged-in user: admin');
    await filter.fill('');
    expect(await page.locator('[data-testid="match-hint"]').count()).toBe(0);
  });

  it("shows each GPU process's container beside its user in the row's GPU tooltip", async () => {
    const tips = await page
      .locator('tr[data-alias="alpha"] .gpu-mini li')
      .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    expect(tips[0]).toContain('\u2068root\u2069 in container \u2068carol-pytorch\u2069');
    expect(tips[1]).toMatch(/\u2068bob\u2069$/); // no container: the user alone
  });
});

describe('GPU view', () => {
  it('filters GPUs by the user of their processes in one step', async () => {
    await page.getByRole('link', { name: 'GPUs' }).click();
    await page.getByTestId('gpu-grid').waitFor();
    expect((await cards()).length).toBe(5);
    await page.getByLabel('User').selectOption('carol');
    expect(await cards()).toEqual(['beta/0']);
    await screenshot(page, 'gpus-user-filter');
    await page.getByLabel('User').selectOption('bob');
    expect(await cards()).toEqual(['alpha/1']);
    await page.getByLabel('User').selectOption('');
    expect((await cards()).length).toBe(5);
  });

  it('finds a job that runs as root by its container, and keeps the choice in the URL', async () => {
    const options = page.getByLabel('Container').locator('option');
    expect(await options.evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value))).toEqual([
      '',
      'carol-pytorch',
    ]);
    await page.getByLabel('Container').selectOption('carol-pytorch');
    expect(await cards()).toEqual(['alpha/0']);
    expect(new URL(page.url()).searchParams.get('container')).toBe('carol-pytorch');
    await screenshot(page, 'gpus-container-filter');
    await page.getByLabel('Container').selectOption('');
    expect((await cards()).length).toBe(5);
  });

  it('keeps its options in the URL, so a reload or a bookmark shows the same GPUs', async () => {
    await page.getByLabel('User').selectOption('root');
    await page.getByLabel('Group').selectOption('vision');
    const url = new URL(page.url());
    expect([url.searchParams.get('user'), url.searchParams.get('group')]).toEqual(['root', 'vision']);
    await page.reload();
    await page.getByTestId('gpu-grid').waitFor();
    expect(await page.getByLabel('User').inputValue()).toBe('root');
    expect(await page.getByLabel('Group').inputValue()).toBe('vision');
    expect(await cards()).toEqual(['alpha/0']);

    const bookmark = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await bookmark.goto(`${server.url}/ui/gpus?show=free`);
    await bookmark.getByTestId('gpu-grid').waitFor();
    expect(await bookmark.getByLabel('Show').inputValue()).toBe('free');
    expect(
      await bookmark.locator('.gpu-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-gpu'))),
    ).toEqual(['beta/1', 'gamma/0']);
    await bookmark.close();
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.locator('tr[data-alias="gamma"]').waitFor();
  });
});

describe('overview controls', () => {
  it('sorts when the header cell is clicked anywhere, not only on its text', async () => {
    const th = page.locator('th.c-cpu');
    const box = (await th.boundingBox())!;
    await page.mouse.click(box.x + box.width - 3, box.y + box.height - 3);
    expect(await th.getAttribute('aria-sort')).toBe('descending');
    expect(await rowAliases()).toEqual(['alpha', 'gamma', 'beta']);
    await page.mouse.click(box.x + 2, box.y + 2);
    expect(await th.getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: 'Host' }).click();
  });

  it('keeps filter, sort and grouping in the URL, so a reload or a bookmark shows the same view', async () => {
    await page.getByLabel('Filter').fill('python');
    await page.getByRole('button', { name: 'CPU' }).click();
    await page.getByLabel('Group by').selectOption('group');
    await page.getByLabel('Status').selectOption('up');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/ui/');
    expect(url.search).toBe('?q=python&sort=cpu&by=group&status=up');

    await page.reload();
    await page.locator('tr[data-alias="alpha"]').waitFor();
    expect(await page.getByLabel('Filter').inputValue()).toBe('python');
    expect(await page.getByLabel('Group by').inputValue()).toBe('group');
    expect(await page.getByLabel('Status').inputValue()).toBe('up');
    expect(await page.locator('th.c-cpu').getAttribute('aria-sort')).toBe('descending');
    expect(await page.locator('tr.group-row').allInnerTexts()).toEqual(['vision (1)']);

    const bookmark = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await bookmark.goto(`${server.url}/ui/?sort=cpu&label=spare`);
    await bookmark.locator('tr[data-alias="gamma"]').waitFor();
    expect(await bookmark.getByLabel('Label', { exact: true }).inputValue()).toBe('spare');
    expect(await bookmark.locator('tr.host').count()).toBe(1);
    expect(await bookmark.locator('th.c-cpu').getAttribute('aria-sort')).toBe('descending');
    await bookmark.close();

    await page.goto(`${server.url}/ui/`);
    await page.locator('tr[data-alias="gamma"]').waitFor();
    expect(await page.getByLabel('Filter').inputValue()).toBe('');
    expect(await rowAliases()).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('says on every row how long ago its last report came, by the browser clock', async () => {
    const res = await fetch(`${server.url}/api/status`);
    const { results } = (await res.json()) as { results: HostStatus[] };
    const gamma = results.find((h) => h.server_alias === 'gamma')!;
    const clocked = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await clocked.clock.setFixedTime(Date.parse(gamma.received_at) + 42_000);
    await clocked.goto(`${server.url}/ui/`);
    const age = clocked.locator('tr[data-alias="gamma"] [data-testid="report-age"]');
    await age.waitFor();
    expect(await age.innerText()).toBe('last report 42s ago');
    await clocked.clock.setFixedTime(Date.parse(gamma.received_at) + 185_000);
    await clocked.locator('tr[data-alias="gamma"] [data-testid="report-age"]', { hasText: '3m 5s' }).waitFor();
    expect(await clocked.locator('[data-testid="report-age"]').count()).toBe(3);
    await clocked.close();
  });
});

describe('nav', () => {
  it('brings each view back with the options it was left with', async () => {
    await page.goto(`${server.url}/ui/`);
    await page.getByLabel('Filter').fill('carol');
    expect(await rowAliases()).toEqual(['alpha', 'beta']);
    await page.getByRole('link', { name: 'GPUs' }).click();
    await page.getByTestId('gpu-grid').waitFor();
    await page.getByLabel('User').selectOption('bob');
    expect(await cards()).toEqual(['alpha/1']);

    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.locator('tr[data-alias="beta"]').waitFor();
    expect(await page.getByLabel('Filter').inputValue()).toBe('carol');
    expect(await rowAliases()).toEqual(['alpha', 'beta']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('carol');

    await page.getByRole('link', { name: 'GPUs' }).click();
    await page.getByTestId('gpu-grid').waitFor();
    expect(await page.getByLabel('User').inputValue()).toBe('bob');
    expect(await cards()).toEqual(['alpha/1']);
    // The brand link is home: the fleet as it opens.
    await page.getByRole('link', { name: 'Fleetwatch' }).click();
    await page.locator('tr[data-alias="gamma"]').waitFor();
    expect(await page.getByLabel('Filter').inputValue()).toBe('');
  });
});

describe('connection banner', () => {
  it('says once that the server cannot be reached, with where it tried', async () => {
    await server.stop();
    const banner = page.getByTestId('connection-banner').filter({ hasText: 'Cannot reach' });
    await banner.waitFor({ timeout: 20_000 });
    const text = await banner.innerText();
    expect(text).toMatch(/^Cannot reach the Fleetwatch server at 127\.0\.0\.1:\d+\. Retrying\./);
    expect(text.match(/reach/gi)).toHaveLength(1);
    await screenshot(page, 'fleet-unreachable-banner', false);
  });
});
