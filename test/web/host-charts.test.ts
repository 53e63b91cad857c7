/**
 * The host page's history charts in real Chromium against a real server:
 * a silence breaks the line, a lone report shows the requested range, an
 * empty range says so, percent axes run 0–100, sizes switch to GB, and
 * times follow the browser's locale and time zone. The server keeps raw
 * reports for 3 h here, so the 6 h preset is answered from the 1-minute
 * tier, whose empty buckets are nulls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { makeReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/temp-dir.js';
import { API_KEY, launchBrowser, postReport, screenshot } from './browser.js';
import { labGpuBox } from './lab-fleet.js';

const MIN = 60_000;
const dir = tempDir('fleetwatch-web-charts-');
let server: ServerProcess;
let browser: Browser;
let page: Page;
const now = Date.now();

/** Reports every 30 s from `fromMin` to `toMin` minutes ago, with a CPU that wanders between 20% and 60%. */
async function reportsBetween(alias: string, fromMin: number, toMin: number): Promise<void> {
  for (let t = now - fromMin * MIN, i = 0; t <= now - toMin * MIN; t += 30_000, i++) {
    const cpu = { percent: 40 + 20 * Math.sin(i / 4), loadavg: { '1m': 1, '5m': 1, '15m': 1 } };
    await postReport(
      server.url,
      makeReport(alias, { cpu, gpus: [], containers: [], timestamp: new Date(t).toISOString() }),
    );
  }
}

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dir.path, API_KEY, HISTORY_TIERS: 'raw:3h,1m:7d,15m:90d,1h:2y' });
  await reportsBetween('gappy', 170, 130); // then silent for 70 minutes
  await reportsBetween('gappy', 60, 1);
  await postReport(server.url, makeReport('lone', { gpus: [], containers: [] }));
  await postReport(
    server.url,
    makeReport('stamped-last-week', { timestamp: new Date(now - 7 * 1440 * MIN).toISOString() }),
  );
  await postReport(server.url, labGpuBox('gpubox', { count: 2, name: 'NVIDIA A100-SXM4-80GB' }));
  // The 1-minute tier is folded in the background: wait until it holds both blocks.
  for (let tries = 0; ; tries++) {
    const h = (await (await fetch(`${server.url}/api/history/gappy?metrics=cpu&from=-6h`)).json()) as {
      tier: string;
      series: { cpu: (number | null)[] };
    };
    if (h.tier === '1m' && h.series.cpu.filter((v) => v !== null).length >= 95) break;
    if (tries > 100) throw new Error(`the 1 m tier did not fill: ${JSON.stringify(h).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  dir.remove();
});

async function openHistory(p: Page, alias: string, preset: string): Promise<void> {
  await p.goto(`${server.url}/ui/hosts/${alias}`);
  await p.getByRole('button', { name: preset, exact: true }).click();
  await p.locator(`.history[data-range="${preset}"][data-state="loaded"]`).waitFor();
}

/** The scale a chart drew (read from uPlot's own scales), in chart units (x: unix seconds). */
async function scale(chart: Locator, axis: 'x' | 'y'): Promise<[number, number]> {
  return [Number(await chart.getAttribute(`data-${axis}-min`)), Number(await chart.getAttribute(`data-${axis}-max`))];
}

/** How many pixels of the first series' blue a chart's canvas has in the pixel column at time `t` (unix s). */
async function seriesPixelsAt(chart: Locator, t: number): Promise<number> {
  const [min, max] = await scale(chart, 'x');
  return chart.evaluate(
    (fig, { frac }) => {
      const canvas = fig.querySelector('canvas')!;
      const over = fig.querySelector('.u-over')!.getBoundingClientRect();
      const box = canvas.getBoundingClientRect();
      const k = canvas.width / box.width;
      const x = Math.round((over.left - box.left + frac * over.width) * k);
      const top = Math.round((over.top - box.top) * k);
      const column = canvas.getContext('2d')!.getImageData(x - 1, top, 3, Math.round(over.height * k)).data;
      let blue = 0;
      for (let i = 0; i < column.length; i += 4) {
        if (column[i]! < 130 && column[i + 1]! < 190 && column[i + 2]! > 200) blue++;
      }
      return blue;
    },
    { frac: (t - min) / (max - min) },
  );
}

describe('history charts', () => {
  it('breaks the line where the host was silent', async () => {
    await openHistory(page, 'gappy', '6h');
    const cpu = page.locator('figure[data-chart="cpu"]');
    const at = (minAgo: number) => seriesPixelsAt(cpu, Math.floor((now - minAgo * MIN) / 1000));
    expect(await at(150)).toBeGreaterThan(0); // reporting
    expect(await at(30)).toBeGreaterThan(0); // reporting again
    for (const silent of [120, 95, 70]) expect(await at(silent)).toBe(0);
    await screenshot(page, 'chart-silence-gap');
  });

  it('shows the requested range around a single report, not years', async () => {
    await openHistory(page, 'lone', '1h');
    const [from, to] = await scale(page.locator('figure[data-chart="cpu"]'), 'x');
    expect(to - from).toBeGreaterThan(3500);
    expect(to - from).toBeLessThan(3700);
    expect(Math.abs(to - Date.now() / 1000)).toBeLessThan(120);
  });

  it('runs percent axes from 0 to 100 and shows GPU memory in GB', async () => {
    await openHistory(page, 'gappy', '6h');
    expect(await scale(page.locator('figure[data-chart="cpu"]'), 'y')).toEqual([0, 100]); // the CPU stays at 20-60%
    expect(await scale(page.locator('figure[data-chart="mem"]'), 'y')).toEqual([0, 100]);
    await openHistory(page, 'gpubox', '1h');
    const gpuMem = page.locator('figure[data-chart="gpu-mem"]');
    expect(await gpuMem.locator('figcaption').innerText()).toBe('GPU memory (GB)');
    await gpuMem.scrollIntoViewIfNeeded();
    const over = (await gpuMem.locator('.u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width - 2, over.y + over.height / 2);
    const value = gpuMem.locator('.u-legend .u-series').nth(1).locator('.u-value');
    await value.filter({ hasNotText: '–' }).waitFor(); // the legend follows the cursor on the next frame
    expect(await value.innerText()).toBe('29.3 GB');
  });

  it('says "no history in this range" instead of drawing empty charts', async () => {
    await openHistory(page, 'stamped-last-week', '1h');
    expect(await page.locator('.history .empty').innerText()).toBe('No history in this range.');
    expect(await page.locator('.history canvas').count()).toBe(0);
    await screenshot(page, 'chart-empty-range');
  });

  it("writes times in the browser's locale and says which time zone they are in", async () => {
    const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Asia/Tokyo' });
    const p = await context.newPage();
    await openHistory(p, 'gappy', '6h');
    expect(await p.locator('.history [data-testid="time-zone"]').innerText()).toContain('Asia/Tokyo');
    await p.locator('figure[data-chart="cpu"]').scrollIntoViewIfNeeded();
    const over = (await p.locator('figure[data-chart="cpu"] .u-over').boundingBox())!;
    await p.mouse.move(over.x + over.width * 0.95, over.y + over.height / 2);
    const time = await p
      .locator('figure[data-chart="cpu"] .u-legend .u-series')
      .first()
      .locator('.u-value')
      .innerText();
    const tokyo = (s: number) =>
      new Date(s * 1000).toLocaleString('de-DE', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'medium' });
    expect(time).toMatch(/^\d{2}\.\d{2}\.\d{2}, \d{2}:\d{2}:\d{2}$/);
    const [from, to] = await scale(p.locator('figure[data-chart="cpu"]'), 'x');
    const shown = [...Array(Math.ceil((to - from) / 60) + 1).keys()].map((i) =>
      tokyo(Math.floor(from / 60) * 60 + i * 60),
    );
    expect(shown).toContain(time); // a minute bucket's start, in Tokyo time
    await screenshot(p, 'chart-locale-de-tokyo');
    await context.close();
  });
});
