import { ConfigError, loadConfig, type Config } from './config.js';
import { FakeGraph } from './fake-graph/index.js';
import { createGateway } from './gateway.js';
import { createLogger } from './logger.js';
import { summarizeConfig } from './observability/config-summary.js';
import { createMetrics } from './observability/metrics.js';
import { Telemetry } from './observability/telemetry.js';
import { serve } from './server.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);

  let fake: FakeGraph | undefined;
  let demo: { groupId: string; conversationId: string } | undefined;
  if (config.graphBaseUrl === undefined) {
    fake = new FakeGraph();
    config = { ...config, graphBaseUrl: new URL(await fake.listen(0, '127.0.0.1')) };
    demo = fake.store.demo;
  }

  // One telemetry object for the whole process, so /metrics counts every request of every client.
  const telemetry = new Telemetry(logger, createMetrics({ processMetrics: true }));
  const gateway = createGateway({ config, logger, demo, telemetry });
  const graph = fake ? 'embedded fake' : config.graphBaseUrl!.origin + config.graphBaseUrl!.pathname;
  let running: Awaited<ReturnType<typeof serve>>;
  try {
    running = await serve(gateway, {
      port: config.port,
      host: config.host,
      drainMs: config.shutdownDrainMs,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      startFields: summarizeConfig(config, graph),
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unknown error';
    process.stderr.write(
      `Invalid configuration: cannot listen on HOST ${JSON.stringify(config.host)} and PORT ${config.port} (${code}). Set HOST to an address of this machine and PORT to a free port.\n`,
    );
    process.exit(2);
  }
  const url = running.url;

  const lines = [`graph-threads-gateway ready at ${url}`];
  if (config.graphiql) lines.push(`GraphiQL: open ${url} in a browser`);
  if (fake) {
    lines.push(
      `Microsoft Graph: embedded fake at ${config.graphBaseUrl!.href} (no tenant needed; any bearer token is accepted)`,
      `  demo groupId:        ${fake.store.demo.groupId}`,
      `  demo conversationId: ${fake.store.demo.conversationId}`,
      `  demo threadId:       ${fake.store.demo.threadId}`,
    );
  } else {
    lines.push(`Microsoft Graph: ${config.graphBaseUrl!.href} (auth: ${config.graphAuth})`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);

  // A closed stdout (a log shipper that went away) must not stop the shutdown: drop write errors.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);

  let stopRequested = false;
  const stop = (signal: string) => {
    if (stopRequested) return;
    stopRequested = true;
    // Exit even if a step of the shutdown never settles, shortly after its own deadlines passed.
    setTimeout(() => process.exit(1), config.shutdownDrainMs + config.shutdownTimeoutMs + 5_000);
    try {
      logger.info({ signal }, 'shutdown requested');
    } catch {
      // Logging failed; the shutdown goes on.
    }
    running
      .shutdown()
      .then(() => fake?.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'gateway failed to stop cleanly');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`The gateway failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
