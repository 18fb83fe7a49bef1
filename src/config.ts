import { z } from 'zod';

/**
 * Gateway configuration. This module is the only reader of `process.env`; every other module
 * receives a `Config`.
 */
export interface Config {
  port: number;
  host: string;
  /** Graph's versioned root, such as `https://graph.microsoft.com/v1.0`; unset runs the embedded fake. */
  graphBaseUrl: URL | undefined;
  graphAuth: 'passthrough' | 'static';
  /** Token sent to Graph in `static` mode. */
  graphToken: string | undefined;
  /**
   * Token used in `passthrough` mode when the caller sent none. Only set when the embedded fake
   * Graph runs and `GRAPH_AUTH` is unset, so that a fresh checkout works without a tenant.
   */
  developmentToken: string | undefined;
  /** Deadline of one upstream call in milliseconds, covering connect, headers and body. */
  graphTimeoutMs: number;
  /**
   * Milliseconds between the start of a shutdown, when `/ready` turns 503, and closing the
   * listener, so that a load balancer stops sending traffic first. 0 closes at once.
   */
  shutdownDrainMs: number;
  /** Milliseconds that requests still running after the listener closed may take before their connections are cut. */
  shutdownTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  graphiql: boolean;
  nodeEnv: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEVELOPMENT_TOKEN = 'fake-graph-development-token';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function describe(value: string | undefined): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;

  const parsed = z.coerce.number().int().min(min).max(max).safeParse(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !parsed.success) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got ${describe(raw)}.`);
  }
  return parsed.data;
}

function readBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;

  const normalized = raw.trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(normalized)) return true;
  if (['0', 'false', 'off', 'no'].includes(normalized)) return false;
  throw new ConfigError(`${name} must be true or false; got ${describe(raw)}.`);
}

function readBaseUrl(env: NodeJS.ProcessEnv): URL | undefined {
  const raw = env.GRAPH_BASE_URL;
  if (raw === undefined || raw.trim() === '') return undefined;

  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(
      `GRAPH_BASE_URL must be an absolute URL such as https://graph.microsoft.com/v1.0; got ${describe(raw)}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`GRAPH_BASE_URL must use https or http; got ${describe(raw)}.`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(
      `GRAPH_BASE_URL must not carry a query, fragment or credentials; got ${describe(raw)}.`,
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** Read and validate the configuration; throws a `ConfigError` that names the variable and its value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const graphBaseUrl = readBaseUrl(env);

  const rawAuth = env.GRAPH_AUTH?.trim();
  let graphAuth: Config['graphAuth'];
  if (rawAuth === undefined || rawAuth === '') {
    graphAuth = 'passthrough';
  } else if (rawAuth === 'passthrough' || rawAuth === 'static') {
    graphAuth = rawAuth;
  } else if (rawAuth === 'obo') {
    // NOTE: On-Behalf-Of needs @azure/msal-node and a token cache; until that lands, reject the
    // mode at start instead of silently forwarding the caller's token.
    throw new ConfigError('GRAPH_AUTH=obo is not available in this version; use passthrough or static.');
  } else {
    throw new ConfigError(`GRAPH_AUTH must be passthrough or static; got ${describe(env.GRAPH_AUTH)}.`);
  }

  const graphToken = env.GRAPH_TOKEN?.trim() || undefined;
  if (graphAuth === 'static' && graphToken === undefined) {
    throw new ConfigError('GRAPH_AUTH=static needs GRAPH_TOKEN, the bearer token sent to Microsoft Graph.');
  }
  if (graphToken !== undefined && /\s/.test(graphToken)) {
    throw new ConfigError('GRAPH_TOKEN must be a bare token without spaces or the "Bearer" prefix.');
  }

  const rawLevel = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(rawLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${describe(env.LOG_LEVEL)}.`);
  }

  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  const host = env.HOST?.trim() || '127.0.0.1';

  return {
    port: readInteger(env, 'PORT', 4000, 0, 65535),
    host,
    graphBaseUrl,
    graphAuth,
    graphToken,
    developmentToken: graphBaseUrl === undefined && rawAuth === undefined ? DEVELOPMENT_TOKEN : undefined,
    graphTimeoutMs: readInteger(env, 'GRAPH_TIMEOUT_MS', 10_000, 1, 600_000),
    shutdownDrainMs: readInteger(env, 'SHUTDOWN_DRAIN_MS', 0, 0, 600_000),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    logLevel: rawLevel as Config['logLevel'],
    graphiql: readBoolean(env, 'GRAPHIQL', nodeEnv !== 'production'),
    nodeEnv,
  };
}
