import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Gateway } from './gateway.js';

export interface ServeOptions {
  port: number;
  host: string;
  /** Milliseconds between `/ready` turning 503 and closing the listener. */
  drainMs: number;
  /** Milliseconds that running requests get after the listener closed; then their connections are cut. */
  shutdownTimeoutMs: number;
  /** Fields of the "gateway started" log entry, such as a config summary; never secrets. */
  startFields?: Record<string, unknown>;
}

export interface RunningServer {
  server: Server;
  /** The GraphQL endpoint, such as `http://127.0.0.1:4000/graphql`. */
  url: string;
  /**
   * Stop gracefully: `/ready` returns 503, after `drainMs` the listener closes and idle
   * connections close, running requests finish (within `shutdownTimeoutMs`), then the gateway
   * closes its upstream connections. Calling it again returns the same promise.
   */
  shutdown(): Promise<void>;
}

/** Serve the gateway over HTTP on `host:port`; port 0 picks a free port. */
export async function serve(gateway: Gateway, options: ServeOptions): Promise<RunningServer> {
  const server = createServer(gateway.yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const logger = gateway.telemetry.logger;
  const url = `http://${host}:${address.port}/graphql`;
  logger.info({ url, ...options.startFields }, 'gateway started');

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    gateway.readiness.ready = false;
    logger.info({ drainMs: options.drainMs, shutdownTimeoutMs: options.shutdownTimeoutMs }, 'gateway stopping');
    if (options.drainMs > 0) await sleep(options.drainMs);

    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Requests still running after the timeout are cut off, so a stuck upstream cannot block the stop.
    const timer = setTimeout(() => {
      logger.warn({ shutdownTimeoutMs: options.shutdownTimeoutMs }, 'closing connections of requests that did not finish in time');
      server.closeAllConnections();
    }, options.shutdownTimeoutMs);
    await closed;
    clearTimeout(timer);

    await gateway.close();
    logger.info('gateway stopped');
  };

  return {
    server,
    url,
    shutdown() {
      stopping ??= stop();
      return stopping;
    },
  };
}
