/**
 * `npx tsx web/screenshot.ts`: makes docs/screenshot.png, the README's
 * picture of the dashboard, from a real server fed realistic reports
 * (bench/fleet.ts), with one host gone silent.
 */
import { fileURLToPath } from 'node:url';
import { hostReport } from '../bench/fleet.js';
import { startServer } from '../test/helpers/server-process.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import { API_KEY, launchBrowser, postReport } from '../test/web/browser.js';

const OUT = fileURLToPath(new URL('../docs/screenshot.png', import.meta.url));
const dir = tempDir('fleetwatch-shot-');
const server = await startServer({ DATA_DIR: dir.path, API_KEY, STALE_THRESHOLD_SECONDS: '8', LOG_LEVEL: 'warn' });
try {
  const names = [
    'gpu-a100-01',
    'gpu-a100-02',
    'web-01',
    'db-01',
    'gpu-a100-03',
    'ci-runner-01',
    'gpu-a100-04',
    'batch-01',
  ];
  const report = (i: number) => {
    const r = hostReport(i * 4 + (names[i]!.startsWith('gpu') ? 0 : 1));
    return {
      ...r,
      server_alias: names[i]!,
      hostname: names[i]!,
      group: names[i]!.startsWith('gpu') ? 'ml-lab' : 'services',
      containers: r.containers!.slice(0, 3),
    };
  };
  await postReport(server.url, report(7)); // this one goes silent
  await new Promise((r) => setTimeout(r, 9000));
  const beat = async () => {
    for (let i = 0; i < 7; i++) await postReport(server.url, report(i));
  };
  await beat();
  const heartbeat = setInterval(() => void beat().catch(() => {}), 2000);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1360, height: 640 }, colorScheme: 'light' });
  await page.goto(`${server.url}/ui/`);
  await page.locator('tr.host.down[data-alias="batch-01"]').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: OUT });
  clearInterval(heartbeat);
  await browser.close();
  process.stderr.write(`wrote ${OUT}\n`);
} finally {
  await server.stop();
  dir.remove();
}
