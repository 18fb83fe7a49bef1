import { readOboSettings, type OboSettings } from './config-obo.js';
import { readTrustedDocuments } from './config-trusted-documents.js';
import {
  ConfigError,
  describe,
  parseOrigin,
  readBaseUrl,
  readBoolean,
  readInteger,
  readList,
} from './config-readers.js';

/**
 * Gateway configuration. This module is the only reader of `process.env`; every other module
 * receives a `Config`.
 */
export interface Config {
  port: number;
  host: string;
  /** Graph's versioned root, such as `https://graph.microsoft.com/v1.0`; unset runs the embedded fake. */
  graphBaseUrl: URL | undefined;
  graphAuth: 'passthrough' | 'obo' | 'static';
  /** Set exactly when `graphAuth` is `obo`. */
  obo: OboSettings | undefined;
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
   * Total time in milliseconds that one Graph call, or one batch of thread reads, may spend on
   * retries and their waits. A wait that would exceed it is skipped and the error returned; 0 turns
   * retries off.
   */
  graphRetryBudgetMs: number;
  /** Graph calls running at once per group mailbox; Outlook allows 4 per app and mailbox. */
  mailboxConcurrency: number;
  /** Calls that may wait for a group's mailbox before new ones are rejected. */
  mailboxQueueLimit: number;
  /** Redis for idempotency records shared by replicas; unset keeps them in process memory. */
  redisUrl: string | undefined;
  /** How long an idempotency key is remembered, in milliseconds. */
  idempotencyTtlMs: number;
  /**
   * Milliseconds between the start of a shutdown, when `/ready` turns 503, and closing the
   * listener, so that a load balancer stops sending traffic first. 0 closes at once.
   */
  shutdownDrainMs: number;
  /** Milliseconds that requests still running after the listener closed may take before their connections are cut. */
  shutdownTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  graphiql: boolean;
  /** Whether `__schema` and `__type` queries run; off in production unless enabled. */
  introspection: boolean;
  /** Origins allowed to call the gateway from a browser; empty means no cross-origin access. */
  corsOrigins: string[];
  /** Document id to GraphQL text; when set, only these documents run. */
  trustedDocuments: Map<string, string> | undefined;
  nodeEnv: string;
}

export { ConfigError } from './config-readers.js';
export type { OboSettings } from './config-obo.js';

export const DEVELOPMENT_TOKEN = 'fake-graph-development-token';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Read and validate the configuration; throws a `ConfigError` that names the variable and its value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const graphBaseUrl = readBaseUrl(env);

  const rawAuth = env.GRAPH_AUTH?.trim() || undefined;
  let graphAuth: Config['graphAuth'];
  if (rawAuth === undefined) {
    graphAuth = 'passthrough';
  } else if (rawAuth === 'passthrough' || rawAuth === 'obo' || rawAuth === 'static') {
    graphAuth = rawAuth;
  } else {
    throw new ConfigError(`GRAPH_AUTH must be passthrough, obo or static; got ${describe(env.GRAPH_AUTH)}.`);
  }
  const obo = graphAuth === 'obo' ? readOboSettings(env, graphBaseUrl) : undefined;

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

  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must look like redis://host:6379 or rediss://host:6380; got ${describe(env.REDIS_URL)}.`);
  }

  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  const host = env.HOST?.trim() || '127.0.0.1';
  const corsOrigins = readList(env, 'CORS_ORIGINS').map((origin) => parseOrigin('CORS_ORIGINS', origin, ['https:', 'http:']));
  const trustedDocumentsPath = env.TRUSTED_DOCUMENTS?.trim() || undefined;

  return {
    port: readInteger(env, 'PORT', 4000, 0, 65535),
    host,
    graphBaseUrl,
    graphAuth,
    obo,
    graphToken,
    developmentToken: graphBaseUrl === undefined && rawAuth === undefined ? DEVELOPMENT_TOKEN : undefined,
    graphTimeoutMs: readInteger(env, 'GRAPH_TIMEOUT_MS', 10_000, 1, 600_000),
    graphRetryBudgetMs: readInteger(env, 'GRAPH_RETRY_BUDGET_MS', 30_000, 0, 600_000),
    mailboxConcurrency: readInteger(env, 'GRAPH_MAILBOX_CONCURRENCY', 4, 1, 100),
    mailboxQueueLimit: readInteger(env, 'GRAPH_MAILBOX_QUEUE_LIMIT', 200, 0, 100_000),
    redisUrl,
    idempotencyTtlMs: readInteger(env, 'IDEMPOTENCY_TTL_MS', 24 * 60 * 60 * 1000, 1_000, 30 * 24 * 60 * 60 * 1000),
    shutdownDrainMs: readInteger(env, 'SHUTDOWN_DRAIN_MS', 0, 0, 600_000),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    logLevel: rawLevel as Config['logLevel'],
    graphiql: readBoolean(env, 'GRAPHIQL', nodeEnv !== 'production'),
    introspection: readBoolean(env, 'INTROSPECTION', nodeEnv !== 'production'),
    corsOrigins,
    trustedDocuments: trustedDocumentsPath === undefined ? undefined : readTrustedDocuments(trustedDocumentsPath),
    nodeEnv,
  };
}
