/**
 * The served pages in real Chromium: security headers, a Content-Security-
 * Policy the dashboard and Swagger UI run under without a single violation,
 * no source maps, and agent text isolated so that a right-to-left override
 * in it cannot reverse the dashboard's own text beside it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { API_KEY, gpuHost, launchBrowser, postReport, screenshot } from './browser.js';

const RLO = '\u202e';
const ALIAS = `${RLO}rtl-host`;
const WEB_DIST = new URL('../../dist/web/', import.meta.url).pathname;

let server: ServerProcess;
let browser: Browser;
let page: Page;
const violations: string[] = [];
const dir = tempDir('fleetwatch-hardening-');

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dir.path, API_KEY });
  await postReport(
    server.url,
    gpuHost(
      ALIAS,
      [
        { util: 3, memMb: 30_000, user: `${RLO}carol` },
        { util: 0, memMb: 0 },
      ],
      {
        hostname: `${RLO}host`,
        ip: `${RLO}10.0.0.9`,
        os: `${RLO}Linux`,
        group: `${RLO}lab`,
        labels: [`${RLO}label`],
        users: [{ name: `${RLO}dave`, tty: `${RLO}pts/0`, host: `${RLO}10.1.1.1`, started: `${RLO}yesterday` }],
        disks: [{ mountpoint: `/${RLO}data`, fstype: 'ext4', free_gb: 1, total_gb: 2, percent: 50 }],
        containers: [
          {
            id: `${RLO}abcdef`,
            name: `${RLO}job`,
            image: `${RLO}img`,
            state: 'running',
            created: `${RLO}today`,
            ports: `${RLO}80/tcp`,
            cpu_pct: 1,
            mem_mb: 10,
          },
        ],
      },
    ),
  );
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  dir.remove();
});

/**
 * Every text node holding the override must sit in an element that isolates
 * its direction (a <bdi>, or unicode-bidi: isolate) and holds nothing but that
 * text; in attributes, the override must sit between U+2068 and U+2069.
 */
const unisolated = () =>
  page.evaluate((rlo) => {
    const problems: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.nodeValue?.includes(rlo) || node.parentElement?.tagName === 'OPTION') continue;
      let el = node.parentElement;
      while (el && !['isolate', 'isolate-override', 'plaintext'].includes(getComputedStyle(el).unicodeBidi))
        el = el.parentElement;
      if (!el || el.textContent !== node.nodeValue)
        problems.push(`text ${JSON.stringify(node.nodeValue)} in ${node.parentElement?.outerHTML.slice(0, 120)}`);
    }
    // Only attributes a person reads (tooltips, screen readers); value and data-* never show.
    for (const el of document.body.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
      for (const attr of [...el.attributes].filter((a) =>
        ['title', 'aria-label', 'placeholder', 'alt'].includes(a.name),
      )) {
        const outside = attr.value.replace(/\u2068[^\u2068\u2069]*\u2069/g, '');
        if (outside.includes(rlo)) problems.push(`${attr.name}=${JSON.stringify(attr.value)}`);
      }
    }
    for (const option of document.querySelectorAll('option')) {
      if (option.text.replace(/\u2068[^\u2068\u2069]*\u2069/g, '').includes(rlo))
        problems.push(`option ${option.text}`);
    }
    return problems;
  }, RLO);

describe('served pages', () => {
  it('carry nosniff, a CSP without inline script, and refuse framing', async () => {
    for (const path of ['/ui/', '/ui/gpus', '/docs', '/docs/static/swagger-ui.css']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    expect((await fetch(`${server.url}/api/status`)).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves no source maps, and the bundle points at none', async () => {
    const assets = readdirSync(`${WEB_DIST}assets`);
    expect(assets.filter((f) => f.endsWith('.map'))).toEqual([]);
    const js = assets.filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    for (const file of js) {
      expect(readFileSync(`${WEB_DIST}assets/${file}`, 'utf8'), file).not.toContain('sourceMappingURL');
      expect((await fetch(`${server.url}/ui/assets/${file}.map`)).status).toBe(404);
    }
  });

  it('runs the dashboard and Swagger UI under the policy without one violation', async () => {
    await page.goto(`${server.url}/ui/`);
    await page.locator('tr.host').first().waitFor();
    await page.goto(`${server.url}/ui/hosts/${encodeURIComponent(ALIAS)}`);
    await page.locator('.uplot').first().waitFor();
    await page.goto(`${server.url}/docs`);
    await page.locator('.swagger-ui .info').waitFor();
    expect(violations).toEqual([]);
  });
});

describe("agent text beside the dashboard's own", () => {
  it('is isolated on the overview, the host page and the GPU view', async () => {
    await page.goto(`${server.url}/ui/`);
    await page.locator('tr.host').first().waitFor();
    expect(await unisolated()).toEqual([]);
    await screenshot(page, 'hardening-rtl-overview', false);
    await page.goto(`${server.url}/ui/hosts/${encodeURIComponent(ALIAS)}`);
    await page.getByTestId('containers').waitFor();
    await page.locator('.uplot').first().waitFor();
    expect(await unisolated()).toEqual([]);
    // The page's own words after the alias read left to right: "GPU 0" is not reversed into "0 UPG".
    expect(await page.locator('.host-head .sub').innerText()).toContain('· group');
    await screenshot(page, 'hardening-rtl-host');
    await page.goto(`${server.url}/ui/gpus`);
    await page.getByTestId('gpu-grid').waitFor();
    expect(await unisolated()).toEqual([]);
    await screenshot(page, 'hardening-rtl-gpus', false);
  });
});
