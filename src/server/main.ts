/**
 * The server process: config, then store, then app, then listen. With
 * WORKERS>1 the primary only prepares (key, schema) and forks; each worker
 * runs the same start-up and serves the shared database.
 */
import cluster from 'node:cluster';
import closeWithGrace from 'close-with-grace';
import { openStore } from '../store/open-store.js';
import { StoreOpenError, type Store } from '../store/store.js';
import { resolveApiKey } from './api-key.js';
import { buildApp } from './app.js';
import { readArguments } from './cli.js';
import { runPrimary } from './cluster.js';
import { ConfigError, loadConfig, loadDotenvFile, type Config } from './config.js';
import { createLogger } from './logger.js';
import { connectionsOf, SHUTDOWN_GRACE_MS, ShutdownSteps } from './shutdown-steps.js';
import { checkStartup, listenError } from './startup-checks.js';

async function main(): Promise<void> {
  // A reader of stderr that went away must not turn a start-up message into a crash.
  process.stderr.on('error', () => {});
  const asked = readArguments(process.argv.slice(2));
  if (!asked.start) {
    (asked.code === 0 ? process.stdout : process.stderr).write(asked.output);
    process.exitCode = asked.code;
    return;
  }
  loadDotenvFile();
  let config: Readonly<Config>;
  let apiKey: string;
  try {
    config = loadConfig();
    // Workers inherit the primary's config, which it has checked; they must not probe the port it shares with them.
    if (cluster.isPrimary) {
      const keepsFiles = config.databaseUrl === undefined || config.apiKey === undefined;
      await checkStartup({ host: config.host, port: config.port, ...(keepsFiles ? { dataDir: config.dataDir } : {}) });
    }
    const resolved = resolveApiKey(config.apiKey, config.dataDir);
    apiKey = resolved.key;
    if (resolved.createdAt && cluster.isPrimary) printNewKey(resolved.key, resolved.createdAt);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    exitWithConfigError(error);
  }

  const log = createLogger(config.logLevel, cluster.isWorker ? { worker: cluster.worker?.id } : {});
  if (config.workers > 1 && cluster.isPrimary) {
    // Migrate once before forking so workers never race on the schema.
    const store = await openStoreOrExit(config);
    const shared = store.capabilities.sharedAcrossProcesses;
    await store.close();
    if (!shared) {
      process.stderr.write(
        `fleetwatch: configuration error: WORKERS: ${config.workers} processes cannot share this store; set WORKERS=1\n`,
      );
      process.exit(2);
    }
    log.info({ workers: config.workers }, 'starting workers');
    runPrimary(config.workers, log);
    return;
  }

  const store = await openStoreOrExit(config);
  // History rollup, compaction and retention: the store runs them in one process at a time, whatever WORKERS is.
  const maintenance = await store.startMaintenance(log);
  const { app } = await buildApp({
    store,
    apiKey,
    logger: log,
    staleThresholdSeconds: config.staleThresholdSeconds,
    corsOrigins: config.corsOrigins,
    bodyLimit: config.bodyLimit,
    eventStreams: { maxStreams: config.eventsMaxStreams, maxStreamsPerClient: config.eventsMaxStreamsPerClient },
    hostExpireDays: config.hostExpireDays,
    ...(cluster.isWorker && cluster.worker ? { workerId: cluster.worker.id } : {}),
  });

  // Its own timeout ends the process after SHUTDOWN_GRACE_MS; its messages go through the log, which never blocks.
  closeWithGrace({ delay: SHUTDOWN_GRACE_MS, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'fatal error; shutting down');
    else log.info({ signal }, 'shutting down');
    const steps = new ShutdownSteps(log, () => connectionsOf(app.server));
    await steps.run('closing the HTTP server (in-flight requests finish)', () => app.close());
    await steps.run('stopping history maintenance (the batch in progress finishes)', () => maintenance.stop());
    await steps.run('closing the database (queued writes commit)', () => store.close());
    steps.done();
  });

  // Beyond this, node closes new connections on arrival: agents retry, and memory and file descriptors stay bounded.
  app.server.maxConnections = config.maxConnections;
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    // Another process can still take the port between the start-up check and here.
    const known = listenError(error, config.host, config.port);
    if (!known) log.fatal({ err: error, host: config.host, port: config.port }, 'cannot listen');
    await maintenance.stop();
    await store.close();
    if (known) exitWithConfigError(known);
    process.exit(1);
  }
  if (cluster.isPrimary) {
    const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
    log.info(
      { dataDir: config.dataDir },
      `Fleetwatch ready: dashboard http://${shown}:${config.port}/ui/, API docs http://${shown}:${config.port}/docs`,
    );
  }
}

/** The configured store, or one line saying why it cannot be opened and exit 2 (no stack trace for an operator's problem). */
async function openStoreOrExit(config: Readonly<Config>): Promise<Store> {
  try {
    return await openStore(config);
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    process.stderr.write(`fleetwatch: cannot open the database: ${error.message}\n`);
    process.exit(2);
  }
}

function exitWithConfigError(error: ConfigError): never {
  process.stderr.write(`fleetwatch: configuration error: ${error.message}\n`);
  process.exit(2);
}

function printNewKey(key: string, file: string): void {
  process.stderr.write(
    [
      '',
      'Fleetwatch: no API_KEY was set, so a new key was generated and stored in',
      `  ${file} (mode 0600; it is reused on every start).`,
      'Agents send it with each report:',
      `  Authorization: Bearer ${key}`,
      'Set API_KEY in the environment or .env to choose your own.',
      '',
    ].join('\n') + '\n',
  );
}

await main();
