/** With WORKERS=2 the server runs one maintenance thread for its database, not one per worker (needs `npm run build`). */
import { expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { startServer } from '../../helpers/server-process.js';

it('starts history maintenance in one of two worker processes', async () => {
  const dir = tempDir();
  const server = await startServer({ DATA_DIR: dir.path, API_KEY: 'k'.repeat(32), WORKERS: '2', LOG_LEVEL: 'debug' });
  try {
    const started = () =>
      server
        .output()
        .split('\n')
        .filter((line) => line.includes('history maintenance started here'));
    const deadline = Date.now() + 10_000;
    while (started().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // time for a second one, should there be one
    expect(started()).toHaveLength(1);
  } finally {
    expect(await server.stop()).toBe(0);
    dir.remove();
  }
}, 30_000);
