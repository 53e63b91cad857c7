/**
 * `npx tsx web/screenshot.ts`: makes docs/screenshot.png, the README's
 * picture of the dashboard, from a real server fed a simulated lab
 * (test/web/lab-fleet.ts: 8-GPU A100 and H100 boxes with jobs in
 * containers, a 16-GPU box, a login node, a NAS), with one host gone silent.
 */
import { fileURLToPath } from 'node:url';
import { startServer } from '../test/helpers/server-process.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import { API_KEY, launchBrowser, postReport } from '../test/web/browser.js';
import { labFleet } from '../test/web/lab-fleet.js';

const OUT = fileURLToPath(new URL('../docs/screenshot.png', import.meta.url));
const dir = tempDir('fleetwatch-shot-');
const server = await startServer({ DATA_DIR: dir.path, API_KEY, STALE_THRESHOLD_SECONDS: '8', LOG_LEVEL: 'warn' });
try {
  const fleet = labFleet();
  const silent = fleet.pop()!;
  await postReport(server.url, silent); // this one goes silent
  await new Promise((r) => setTimeout(r, 9000));
  const beat = async () => {
    for (const report of fleet) await postReport(server.url, { ...report, timestamp: new Date().toISOString() });
  };
  await beat();
  const heartbeat = setInterval(() => void beat().catch(() => {}), 2000);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1360, height: 1010 }, colorScheme: 'light' });
  await page.goto(`${server.url}/ui/`);
  await page.locator(`tr.host.down[data-alias="${silent.server_alias}"]`).waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: OUT });
  clearInterval(heartbeat);
  await browser.close();
  process.stderr.write(`wrote ${OUT}\n`);
} finally {
  await server.stop();
  dir.remove();
}
