import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Result label of `graphql_operations_total`. */
export type OperationResult =
  /** Executed with no entry in `errors`; an expected failure returned as a union member counts here. */
  | 'success'
  /** Executed, and the response has at least one entry in `errors`. */
  | 'error'
  /** The document failed validation, so nothing was executed. */
  | 'invalid';

/** The gateway's Prometheus metrics, all in one registry that `/metrics` serves. */
export interface Metrics {
  readonly registry: Registry;
  readonly graphqlOperations: Counter<'operation' | 'type' | 'result'>;
  readonly graphqlDuration: Histogram<'operation' | 'type'>;
  readonly upstreamRequests: Counter<'operation' | 'status'>;
  readonly upstreamDuration: Histogram<'operation'>;
  readonly upstreamRetries: Counter<'operation' | 'reason'>;
}

export interface MetricsOptions {
  /** Also collect Node.js process metrics (CPU, memory, event loop); the process entry turns this on. */
  processMetrics?: boolean;
}

// Buckets in seconds, from 5 ms up to 30 s, which is beyond the default upstream deadline of 10 s.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Create the metrics in a new registry, so that tests and gateways in one process never share counts. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });

  return {
    registry,
    graphqlOperations: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations by operation name, operation type and result (success, error, invalid).',
      labelNames: ['operation', 'type', 'result'],
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Execution time of a GraphQL operation, from the start of execution to its result, in seconds.',
      labelNames: ['operation', 'type'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    upstreamRequests: new Counter({
      name: 'graph_upstream_requests_total',
      help: 'Calls to Microsoft Graph by operation and HTTP status, or by failure (timeout, unavailable, bad-response, aborted) when no status came back.',
      labelNames: ['operation', 'status'],
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: 'graph_upstream_request_duration_seconds',
      help: 'Duration of one call to Microsoft Graph, including reading the body, in seconds.',
      labelNames: ['operation'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    upstreamRetries: new Counter({
      name: 'graph_upstream_retries_total',
      help: 'Calls to Microsoft Graph sent again after a retryable response, by operation and the status or failure that caused the retry.',
      labelNames: ['operation', 'reason'],
      registers: [registry],
    }),
  };
}
