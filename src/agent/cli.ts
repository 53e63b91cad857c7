/**
 * fleetwatch-agent: `run` (the loop), `once` (one report, `--print` to show
 * it instead of sending), `check` (reachability and key). Every variable of
 * config.env has a flag of the same name in kebab case.
 */
import { parseArgs } from 'node:util';
import { hostname } from 'node:os';
import {
  VARIABLES,
  flagName,
  resolveConfig,
  readConfigFile,
  configPath,
  reportUrl,
  ConfigError,
  type AgentConfig,
} from './config.js';
import { createLogger } from './log.js';
import { ReportCollector } from './collect.js';
import { Sender } from './sender.js';
import { Spool } from './spool.js';
import { runLoop } from './runner.js';
import { checkServer } from './check.js';
import { AGENT_VERSION } from './version.js';

const HELP = `fleetwatch-agent ${AGENT_VERSION}: reports this host to a Fleetwatch server

Usage: fleetwatch-agent <command> [options]

Commands:
  run            collect and send a report every INTERVAL seconds (what the systemd unit runs)
  once           collect and send one report; exit 0 when the server accepted it
  once --print   print one report as JSON, send nothing
  check          test that the server is reachable and accepts API_KEY

Options:
  --config <path>  config.env file (default: $FLEETWATCH_CONFIG, else /etc/fleetwatch/config.env if present)
  --print          with once: print instead of sending
  -h, --help       this help
  -v, --version    the agent's version

Variables (environment, config file, or the flag shown):
${VARIABLES.map((v) => `  --${flagName(v.name).padEnd(20)} ${v.name.padEnd(20)} ${v.doc}${v.def !== undefined ? ` [${v.def || 'none'}]` : ''}`).join('\n')}
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`fleetwatch-agent: ${message}\n`);
  process.exit(code);
}

function loadConfig(values: Record<string, string | boolean | undefined>): AgentConfig {
  const flags: Record<string, string | undefined> = {};
  for (const v of VARIABLES) {
    const value = values[flagName(v.name)];
    if (typeof value === 'string') flags[v.name] = value;
  }
  const path = configPath(values.config as string | undefined, process.env);
  let file: Record<string, string | undefined> | undefined;
  if (path) {
    try {
      file = readConfigFile(path);
    } catch (err) {
      fail(`cannot read config file ${path}: ${(err as Error).message}`);
    }
  }
  try {
    return resolveConfig({ flags, env: process.env, file });
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

function makeSender(config: AgentConfig, log: ReturnType<typeof createLogger>): Sender {
  const spool = new Spool({
    dir: config.spoolDir,
    maxAgeMs: config.spoolMaxAgeHours * 3_600_000,
    maxBytes: config.spoolMaxMb * 1024 * 1024,
  });
  return new Sender(
    {
      url: reportUrl(config.apiEndpoint),
      apiKey: config.apiKey,
      timeoutMs: config.timeoutSeconds * 1000,
      retries: config.retries,
      backoffMs: 1000,
    },
    spool,
    log,
  );
}

function requireServer(config: AgentConfig): void {
  if (!config.apiEndpoint) fail('API_ENDPOINT is not set (config file, environment or --api-endpoint)');
  if (!config.apiKey) fail('API_KEY is not set (config file, environment or --api-key)');
}

async function main(): Promise<void> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    config: { type: 'string' },
    print: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const v of VARIABLES) options[flagName(v.name)] = { type: 'string' };
  let parsed;
  try {
    parsed = parseArgs({ options, allowPositionals: true });
  } catch (err) {
    fail(`${(err as Error).message}\nSee fleetwatch-agent --help`);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return;
  }
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(HELP);
    if (!command && !values.help) process.exitCode = 2;
    return;
  }
  if (positionals.length > 1) fail(`unexpected argument "${positionals[1]}"`);

  const config = loadConfig(values);
  const log = createLogger(config.logLevel);
  if (command === 'once') {
    const collector = new ReportCollector(config, log);
    const report = await collector.collect();
    if (values.print) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    requireServer(config);
    const sent = await makeSender(config, log).deliver(JSON.stringify(report));
    if (sent) log.info({ url: reportUrl(config.apiEndpoint), alias: report.server_alias }, 'report sent');
    process.exitCode = sent ? 0 : 1;
  } else if (command === 'run') {
    requireServer(config);
    const controller = new AbortController();
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => controller.abort());
    log.info(
      {
        version: AGENT_VERSION,
        url: reportUrl(config.apiEndpoint),
        alias: config.serverAlias,
        host: hostname(),
        interval: config.intervalSeconds,
      },
      'agent started',
    );
    const collector = new ReportCollector(config, log, { streamGpus: true });
    try {
      await runLoop(collector, makeSender(config, log), config, log, controller.signal);
    } finally {
      collector.close();
    }
    log.info({}, 'agent stopped');
  } else if (command === 'check') {
    const lines = await checkServer(config);
    for (const line of lines) process.stdout.write(`${line.ok ? 'ok  ' : 'FAIL'} ${line.text}\n`);
    process.exitCode = lines.every((l) => l.ok) ? 0 : 1;
  } else {
    fail(`unknown command "${command}"; commands: run, once, check (see --help)`);
  }
}

await main();
