/**
 * The overview's rows with the names and counts that broke them, checked as
 * layout facts in real Chromium (boxes inside their cell, no half-cut text),
 * not only as screenshots: 12 logged-in users, a 60-character label and
 * group, a 16-GPU host, the legend of the GPU bars, a silent host sorted
 * first, and the same fleet on a phone. The server's stale threshold is 2 s;
 * every host but "silent" keeps reporting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { makeReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/temp-dir.js';
import type { ReportInput } from '../../src/contract/index.js';
import { API_KEY, gpuHost, launchBrowser, postReport, screenshot } from './browser.js';

const LONG_LABEL = 'computational-linguistics-shared-allocation-fall-2025-cohort'; // 60 characters
const LONG_GROUP = 'department-of-electrical-engineering-and-computer-sciences-x'; // 60 characters
const LONG_ALIAS = 'ml-training-node-with-a-rather-long-descriptive-name-07';
const USERS = Array.from({ length: 12 }, (_, i) => `researcher-${String(i + 1).padStart(2, '0')}`);

const steady: ReportInput[] = [
  gpuHost(
    'gpu-16',
    Array.from({ length: 16 }, (_, i) => ({ util: (i * 7) % 100, memMb: i * 5000, user: i % 3 ? 'carol' : undefined })),
    { labels: ['h100', 'sxm'], group: 'hpc' },
  ),
  makeReport('long-names', {
    labels: [LONG_LABEL, 'gpu', 'nvlink', 'infiniband'],
    group: LONG_GROUP,
    users: USERS.map((name, i) => ({ name, tty: `pts/${i}`, host: '10.0.0.5', started: '2025-11-06T09:30:00' })),
  }),
  makeReport('plain'),
  makeReport(LONG_ALIAS, { gpus: [] }),
];

const dir = tempDir('fleetwatch-web-rows-');
let server: ServerProcess;
let browser: Browser;
let page: Page;
let heartbeat: ReturnType<typeof setInterval> | undefined;

/**
 * Where an element's text shows: how many lines can be seen, and how many
 * pieces of text the clipping boxes around them cut (part inside, part out).
 */
function textFit(cell: Locator) {
  return cell.evaluate((el) => {
    const shown: DOMRect[] = [];
    let cut = 0;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // What can be seen of this text: the element's box, narrowed by every clipping box between them.
      let clip = el.getBoundingClientRect();
      let top = clip.top;
      let bottom = clip.bottom;
      let left = clip.left;
      let right = clip.right;
      for (let box = node.parentElement; box && box !== el; box = box.parentElement) {
        if (getComputedStyle(box).overflow === 'visible') continue;
        clip = box.getBoundingClientRect();
        top = Math.max(top, clip.top);
        bottom = Math.min(bottom, clip.bottom);
        left = Math.max(left, clip.left);
        right = Math.min(right, clip.right);
      }
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width === 0 || r.height === 0) continue;
        if (r.top >= bottom - 1 || r.bottom <= top + 1 || r.left >= right - 1 || r.right <= left + 1) continue;
        shown.push(r);
        if (r.bottom > bottom + 0.5 || r.top < top - 0.5 || r.right > right + 0.5 || r.left < left - 0.5) cut++;
      }
    }
    return {
      lines: new Set(shown.map((r) => Math.round(r.top))).size,
      cut,
      wider: el.scrollWidth > el.clientWidth + 1,
    };
  });
}

/** Boxes of the elements matching `selector` that stick out of `outer`'s box (px of slack). */
function outside(outer: Locator, selector: string) {
  return outer.evaluate((el, sel) => {
    const box = el.getBoundingClientRect();
    return [...el.querySelectorAll(sel)]
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5)
      .map(
        (r) =>
          `${r.left}-${r.right} x ${r.top}-${r.bottom} outside ${box.left}-${box.right} x ${box.top}-${box.bottom}`,
      );
  }, selector);
}

const row = (p: Page, alias: string) => p.locator(`tr.host[data-alias="${alias}"]`);

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dir.path, API_KEY, STALE_THRESHOLD_SECONDS: '2' });
  for (const r of steady) await postReport(server.url, r);
  await postReport(server.url, makeReport('silent', { labels: ['nas'], gpus: [] }));
  heartbeat = setInterval(() => {
    for (const r of steady) void postReport(server.url, r).catch(() => {});
  }, 400);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
  await page.goto(`${server.url}/ui/`);
  await page.locator('tr.host.down[data-alias="silent"]').waitFor();
});

afterAll(async () => {
  clearInterval(heartbeat);
  await browser?.close();
  await server?.stop();
  dir.remove();
});

describe('long names and counts', () => {
  it('cuts 12 logged-in users after two whole lines, with all of them in the title', async () => {
    await screenshot(page, 'fleet-long-names');
    const users = row(page, 'long-names').locator('.c-users');
    const fit = await textFit(users);
    expect(fit.lines).toBe(2);
    expect(fit.cut).toBe(0);
    expect(await users.getAttribute('title')).toBe(USERS.map((u) => `\u2068${u}\u2069`).join(', '));
  });

  it('keeps a 60-character label and group inside the row, cut with an ellipsis and whole in the title', async () => {
    const r = row(page, 'long-names');
    const cell = r.locator('.c-host');
    const label = r.locator('.labels li', { hasText: 'computational' });
    expect(await label.getAttribute('title')).toBe(`\u2068${LONG_LABEL}\u2069`);
    expect(await label.evaluate((el) => getComputedStyle(el).textOverflow)).toBe('ellipsis');
    // A label that does not fit beside the others is left out whole, never shown in part.
    expect(await r.locator('.labels').getAttribute('title')).toBe(
      [LONG_LABEL, 'gpu', 'nvlink', 'infiniband'].map((l) => `\u2068${l}\u2069`).join(', '),
    );
    const shownLabels = await r.locator('.labels').evaluate((ul) => {
      const box = ul.getBoundingClientRect();
      const cell = ul.closest('th')!.getBoundingClientRect();
      return [...ul.children]
        .map((li) => li.getBoundingClientRect())
        .filter((b) => b.top < box.bottom - 1)
        .map((b) => ({ inside: b.right <= cell.right + 0.5 && b.bottom <= box.bottom + 0.5 }));
    });
    expect(shownLabels.length).toBeGreaterThan(0);
    expect(shownLabels.every((l) => l.inside)).toBe(true);

    const group = r.locator('.c-group');
    const fit = await textFit(group);
    expect(fit).toMatchObject({ cut: 0, wider: false });
    expect(fit.lines).toBeLessThanOrEqual(2);
    expect(await group.getAttribute('title')).toBe(`\u2068${LONG_GROUP}\u2069`);
    expect(await outside(r, 'td, th')).toEqual([]);
  });

  it('cuts a long alias with an ellipsis on its own line, keeping the lines under it in the row', async () => {
    const cell = row(page, LONG_ALIAS).locator('.c-host');
    expect(await cell.locator('a.alias').getAttribute('title')).toBe(`\u2068${LONG_ALIAS}\u2069`);
    const below = await cell.evaluate((th) => {
      const bottom = (sel: string) => th.querySelector(sel)!.getBoundingClientRect().bottom;
      const alias = th.querySelector('a.alias')!;
      return {
        aliasLines: alias.getBoundingClientRect().height / parseFloat(getComputedStyle(alias).lineHeight),
        aliasRight: alias.getBoundingClientRect().right,
        right: th.getBoundingClientRect().right,
        sub: bottom('.sub'),
        labels: bottom('.labels'),
        cell: th.getBoundingClientRect().bottom,
      };
    });
    expect(below.aliasLines).toBeLessThan(1.5);
    expect(below.aliasRight).toBeLessThanOrEqual(below.right);
    expect(below.sub).toBeLessThanOrEqual(below.cell);
    expect(below.labels).toBeLessThanOrEqual(below.cell);
  });

  it("shows all of a 16-GPU host's bars inside its cell, and a legend for the two bars", async () => {
    await screenshot(page, 'fleet-16-gpus', false);
    const cell = row(page, 'gpu-16').locator('.c-gpu');
    expect(await cell.locator('.gpu-mini li').count()).toBe(16);
    expect(await outside(cell, '.gpu-mini li')).toEqual([]);
    const legend = page.getByTestId('gpu-legend');
    expect(await legend.isVisible()).toBe(true);
    expect(await legend.innerText()).toMatch(/util.*mem/is);
    // The legend's swatches are the bars' own colours.
    const swatches = await legend
      .locator('.swatch')
      .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    const bars = await cell
      .locator('.gpu-mini li')
      .first()
      .evaluate((li) => [
        getComputedStyle(li, '::before').backgroundColor,
        getComputedStyle(li, '::after').backgroundColor,
      ]);
    expect(swatches).toEqual(bars);
  });
});

describe('silent hosts', () => {
  it('says on each row when its last report came, and sorts down hosts first on the first click', async () => {
    expect(await row(page, 'plain').getByTestId('report-age').innerText()).toMatch(/^last report \d+s ago$/);
    expect(await row(page, 'silent').getByTestId('report-age').innerText()).toMatch(/^last report at \d/);
    expect(await row(page, 'silent').locator('.badge').innerText()).toMatch(/^down · silent \d+s$/);

    await page.getByRole('button', { name: 'Status' }).click();
    expect(await page.locator('th.c-status').getAttribute('aria-sort')).toBe('ascending');
    const order = await page.locator('tr.host').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alias')));
    expect(order[0]).toBe('silent');
    expect(order.slice(1)).toEqual(['gpu-16', 'long-names', LONG_ALIAS, 'plain']);
    await screenshot(page, 'fleet-down-first');
  });
});

describe('phone', () => {
  it('fits every card on a 390 px screen, with nothing cut at a card edge', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.goto(`${server.url}/ui/`);
    await row(phone, 'gpu-16').waitFor();
    await screenshot(phone, 'fleet-phone', false);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const alias of ['gpu-16', 'long-names']) {
      expect(await outside(row(phone, alias), 'td, th, .gpu-mini li')).toEqual([]);
    }
    await row(phone, 'long-names').scrollIntoViewIfNeeded();
    await screenshot(phone, 'fleet-phone-long-names', false);
    await phone.close();
  });
});
