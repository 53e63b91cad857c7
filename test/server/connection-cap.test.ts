/**
 * MAX_CONNECTIONS on a real server: it holds at most that many TCP
 * connections at once, closes the next one on arrival, and takes new ones
 * again once some have closed.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const MAX = 4;
const dir = tempDir('fleetwatch-connection-cap-');
let server: ServerProcess;
const sockets: Socket[] = [];

/** Opens a connection and sends a keep-alive GET /; 'answered' once the status line arrives, 'closed' if the server hangs up first. */
function tryConnection(): Promise<{ outcome: 'answered' | 'closed'; socket: Socket }> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    sockets.push(socket);
    socket.once('data', (chunk: Buffer) =>
      resolve({ outcome: chunk.toString('latin1').startsWith('HTTP/1.1 200') ? 'answered' : 'closed', socket }),
    );
    socket.once('close', () => resolve({ outcome: 'closed', socket }));
    socket.on('error', () => {});
  });
}

beforeAll(async () => {
  server = await startServer({
    DATA_DIR: dir.path,
    API_KEY: 'connection-cap-key-0123456789abcdef',
    MAX_CONNECTIONS: String(MAX),
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await server?.stop();
  dir.remove();
});

it('holds at most MAX_CONNECTIONS connections and takes new ones once others close', async () => {
  const held: Socket[] = [];
  for (
    let next = await tryConnection();
    next.outcome === 'answered' && held.length <= MAX;
    next = await tryConnection()
  ) {
    held.push(next.socket);
  }
  // The start-up check's fetch may still hold one connection (it never reads the body).
  expect(held.length).toBeLessThanOrEqual(MAX);
  expect(held.length).toBeGreaterThanOrEqual(MAX - 1);

  held.shift()!.destroy();
  const deadline = Date.now() + 10_000;
  let next = await tryConnection();
  while (next.outcome === 'closed' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50)); // the server counts a connection until it has seen it close
    next = await tryConnection();
  }
  expect(next.outcome).toBe('answered');
  expect((await tryConnection()).outcome).toBe('closed');
});
