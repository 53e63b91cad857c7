/**
 * Real Chromium (Debian's package, installed by .ci/run) driven by
 * playwright-core, plus the helpers the dashboard tests share.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeReport } from '../helpers/reports.js';
import type { ReportInput } from '../../src/contract/index.js';

/** Where screenshots go; CI keeps the folder as artifacts. */
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

export const API_KEY = 'dashboard-test-key-0123456789';

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `The dashboard tests drive a real Chromium, and ${executablePath} does not exist: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a (by default full-page) screenshot to test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage });
}

/** Posts one report as an agent would; throws unless the server accepted it. */
export async function postReport(url: string, report: ReportInput): Promise<void> {
  const res = await fetch(`${url}/api/report`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(report),
  });
  if (res.status !== 200) throw new Error(`report for ${report.server_alias}: ${res.status} ${await res.text()}`);
}

/** A report with `count` GPUs, each with the given utilization and memory. */
export function gpuHost(
  alias: string,
  gpus: { util: number; memMb: number; user?: string }[],
  overrides: Partial<ReportInput> = {},
): ReportInput {
  return makeReport(alias, {
    gpus: gpus.map((g, index) => ({
      index,
      name: 'NVIDIA A100-SXM4-80GB',
      utilization_pct: g.util,
      memory_used_mb: g.memMb,
      memory_total_mb: 81920,
      temperature_celsius: 40 + index,
      fan_speed_pct: null,
      power_draw_watts: 100 + g.util * 2,
      processes: g.user
        ? [{ pid: 1000 + index, username: g.user, cmd: `python train_${index}.py`, used_memory_mb: g.memMb, type: 'C' }]
        : [],
    })),
    ...overrides,
  });
}
