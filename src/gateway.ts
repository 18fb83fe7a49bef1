import { setTimeout as sleep } from 'node:timers/promises';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createContextFactory, type GatewayContext } from './context.js';
import { createTokenProvider } from './graph/auth.js';
import { GraphClient } from './graph/client.js';
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
  /** Metrics and logs of the process; by default a new one on `logger`, with metrics of its own. */
  telemetry?: Telemetry;
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
  const client = new GraphClient({ baseUrl: config.graphBaseUrl, timeoutMs: config.graphTimeoutMs, logger, telemetry });
  const tokenProvider = createTokenProvider(config);
  const context = createContextFactory({ client, tokenProvider, logger, sleep: options.sleep ?? ((ms) => sleep(ms)) });

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
    maskedErrors: { isDev: false },
    // Yoga's own GraphiQL loads its files from a CDN; useSelfHostedGraphiql serves them instead.
    graphiql: false,
    plugins: [
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
    close: () => (closing ??= client.close()),
  };
}
