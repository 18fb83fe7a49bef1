import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config.js';
import { FakeGraph } from './fake-graph/index.js';
import { createGateway } from './gateway.js';
import { createLogger } from './logger.js';

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

  const gateway = createGateway({ config, logger, demo });
  const server = createServer(gateway.yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/graphql`;
  logger.info(
    {
      url,
      graph: fake ? 'embedded fake' : config.graphBaseUrl!.origin + config.graphBaseUrl!.pathname,
      auth: config.graphAuth,
      timeoutMs: config.graphTimeoutMs,
      graphiql: config.graphiql,
    },
    'gateway ready',
  );

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

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'gateway stopping');
    server.close(async () => {
      await gateway.close();
      await fake?.close();
      logger.info('gateway stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    // Requests still running after 10 s are cut off, so a stuck upstream cannot block the stop.
    setTimeout(() => {
      server.closeAllConnections();
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`The gateway failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
