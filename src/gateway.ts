import { setTimeout as sleep } from 'node:timers/promises';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import { createContextFactory, type GatewayContext } from './context.js';
import type { CredentialProvider } from './graph/auth.js';
import { GraphClient } from './graph/client.js';
import { MailboxLimiter } from './graph/mailbox-limiter.js';
import { MemoryIdempotencyStore, type IdempotencyStore } from './idempotency/store.js';
import { createCredentials } from './credentials.js';
import { securityPlugins } from './plugins/index.js';
import { useSelfHostedGraphiql } from './graphiql/plugin.js';
import { useCloseConnectionsWhenDraining, useMetricsEndpoint, useReadinessEndpoint, type Readiness } from './observability/endpoints.js';
import { useOperationTelemetry } from './observability/graphql-plugin.js';
import { Telemetry } from './observability/telemetry.js';
import { schema } from './schema/index.js';

export const GRAPHQL_ENDPOINT = '/graphql';

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  /** Conversation that GraphiQL's first tab creates a thread in; the embedded fake's demo ids. */
  demo?: { groupId: string; conversationId: string } | undefined;
  /** Replaces real waiting, so tests never sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** Replaces the clock of the idempotency waits; tests advance it in their `sleep`. */
  now?: () => number;
  /** Replaces the credential provider of `config.graphAuth`, for tests. */
  credentials?: CredentialProvider | undefined;
  /** Connection pool for the identity platform in `obo` mode; tests pass one that trusts their certificate. */
  identityDispatcher?: Dispatcher | undefined;
  /** Replaces the idempotency store that `config.redisUrl` selects, for tests. */
  idempotencyStore?: IdempotencyStore | undefined;
  /** Metrics and logs of the process; by default a new one on `logger`, with metrics of its own. */
  telemetry?: Telemetry;
}

/** Time after a create with an unknown outcome until its thread is expected to show in lists; Exchange has been seen to take about 5 s. */
const SETTLE_MS = 5_000;

/** Create the Redis store, loading ioredis on first use so that gateways without Redis never load it. */
function lazyRedisStore(url: string): IdempotencyStore {
  let store: Promise<IdempotencyStore> | undefined;
  const load = () => (store ??= import('./idempotency/redis-store.js').then((module) => new module.RedisIdempotencyStore(url)));
  return {
    claim: async (key, record, ttlMs) => (await load()).claim(key, record, ttlMs),
    replace: async (key, owner, next, ttlMs) => (await load()).replace(key, owner, next, ttlMs),
    close: async () => {
      if (store !== undefined) await (await store).close();
    },
  };
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  client: GraphClient;
  telemetry: Telemetry;
  /** Set `ready` to false when a shutdown starts; `/ready` then returns 503. */
  readiness: Readiness;
  close(): Promise<void>;
}

function graphiqlQuery(demo: GatewayOptions['demo']): { query: string; variables: string } {
  const query = `# Starts a thread in a group conversation. Press the run button to send it.
mutation AddThread($input: AddThreadInput!) {
  addThread(input: $input) {
    __typename
    ... on AddThreadSuccess {
      thread { id groupId conversationId topic preview lastDeliveredDateTime uniqueSenders isLocked }
    }
    ... on ValidationError { code message issues { path message } }
    ... on GraphError { code message status requestId clientRequestId retryAfterSeconds outcomeUnknown }
  }
}
`;
  const variables = {
    input: {
      groupId: demo?.groupId ?? '00000000-0000-0000-0000-000000000000',
      conversationId: demo?.conversationId ?? 'paste-a-conversation-id-here',
      topic: 'Hello from GraphiQL',
      posts: [{ body: { contentType: 'HTML', content: '<p>First post of a thread created through the gateway.</p>' } }],
    },
  };
  return { query, variables: JSON.stringify(variables, null, 2) };
}

/** Create the gateway: the Yoga server with its schema, context and Graph client. Does no I/O. */
export function createGateway(options: GatewayOptions): Gateway {
  const { config, logger } = options;
  if (config.graphBaseUrl === undefined) {
    throw new Error('createGateway needs config.graphBaseUrl; main starts the embedded fake Graph when it is unset.');
  }

  const telemetry = options.telemetry ?? new Telemetry(logger);
  const readiness: Readiness = { ready: true };
  const client = new GraphClient({
    baseUrl: config.graphBaseUrl,
    timeoutMs: config.graphTimeoutMs,
    logger,
    telemetry,
    retry: { budgetMs: config.graphRetryBudgetMs },
    sleep: options.sleep,
    limiter: new MailboxLimiter(config.mailboxConcurrency, config.mailboxQueueLimit),
  });
  const idempotencyStore =
    options.idempotencyStore ??
    (config.redisUrl !== undefined ? lazyRedisStore(config.redisUrl) : new MemoryIdempotencyStore());
  const built = createCredentials(config, logger, options.identityDispatcher);
  const credentials = options.credentials ?? built.provider;
  const context = createContextFactory({
    client,
    credentials,
    logger,
    sleep: options.sleep ?? ((ms) => sleep(ms)),
    retryBudgetMs: config.graphRetryBudgetMs,
    now: options.now,
    idempotency: {
      store: idempotencyStore,
      ttlMs: config.idempotencyTtlMs,
      // Maximum time a create can run: every attempt up to its deadline, plus the waits between them.
      leaseMs: config.graphTimeoutMs * 6 + config.graphRetryBudgetMs + 10_000,
      settleMs: SETTLE_MS,
      pollMs: 50,
    },
  });

  const yogaLogger = {
    debug: (...args: unknown[]) => logger.debug({ yoga: args.slice(1) }, String(args[0])),
    info: (...args: unknown[]) => logger.info({ yoga: args.slice(1) }, String(args[0])),
    warn: (...args: unknown[]) => logger.warn({ yoga: args.slice(1) }, String(args[0])),
    error: (...args: unknown[]) => {
      const err = args.find((arg) => arg instanceof Error);
      // The operation telemetry plugin already logged this masked error with the request's ids.
      if (telemetry.wasLogged(err)) return;
      logger.error({ err }, String(args[0]));
    },
  };

  const tab = graphiqlQuery(options.demo);
  let closing: Promise<void> | undefined;
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    context,
    logging: yogaLogger,
    landingPage: false,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    healthCheckEndpoint: '/health',
    // The body limit of securityPlugins replaces Yoga's own, which streams every body through a
    // TransformStream and costs about 5 % of the CPU of a request even when it is small.
    maxRequestBodySize: false,
    // Masking turns unexpected errors into "Unexpected error."; outside development the original
    // message and stack are left out of the response, while GraphQLErrors with codes pass unchanged.
    maskedErrors: { isDev: config.nodeEnv === 'development' },
    cors: config.corsOrigins.length > 0 ? { origin: config.corsOrigins, methods: ['GET', 'POST'] } : false,
    // Yoga's own GraphiQL loads its files from a CDN; useSelfHostedGraphiql serves them instead.
    graphiql: false,
    plugins: [
      ...securityPlugins(config),
      useOperationTelemetry(telemetry),
      useMetricsEndpoint(telemetry.metrics.registry),
      useReadinessEndpoint(readiness),
      useCloseConnectionsWhenDraining(readiness),
      config.graphiql &&
        useSelfHostedGraphiql({
          endpoint: GRAPHQL_ENDPOINT,
          options: { title: 'graph-threads-gateway', query: tab.query, variables: tab.variables },
        }),
    ],
  });

  return {
    yoga,
    client,
    telemetry,
    readiness,
    // Idempotent, because a shutdown and a test's cleanup may both close the gateway.
    close: () =>
      (closing ??= (async () => {
        await client.close();
        await built.close();
        if (options.idempotencyStore === undefined) await idempotencyStore.close();
      })()),
  };
}
