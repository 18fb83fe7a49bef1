import type { Config } from '../config.js';

/**
 * Select the settings worth logging at start. Fields are listed one by one, never spread from the
 * config, so that a token added to `Config` later cannot reach the log by accident.
 */
export function summarizeConfig(config: Config, graph: string): Record<string, unknown> {
  return {
    host: config.host,
    port: config.port,
    graph,
    auth: config.graphAuth,
    staticToken: config.graphToken !== undefined ? 'set' : 'unset',
    timeoutMs: config.graphTimeoutMs,
    shutdownDrainMs: config.shutdownDrainMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    graphiql: config.graphiql,
    logLevel: config.logLevel,
    nodeEnv: config.nodeEnv,
  };
}
