import type { Logger } from 'pino';
import { createMetrics, type Metrics, type OperationResult } from './metrics.js';

/** One finished call to Microsoft Graph, successful or not. */
export interface UpstreamCallRecord {
  operation: string;
  /** HTTP status; undefined when no response came. */
  status: number | undefined;
  /** Reason no usable response came, such as `timeout`; undefined for any response with a status. */
  failure?: string | undefined;
  durationMs: number;
}

/** A failed call to Microsoft Graph, as operators need it to find the call in Graph's own logs. */
export interface UpstreamFailureRecord {
  operation: string;
  status: number | undefined;
  /** Graph's error code, such as `generalException`, or the gateway's code, such as `UPSTREAM_TIMEOUT`. */
  code: string;
  requestId: string | undefined;
  clientRequestId: string | undefined;
  traceId?: string | undefined;
  /** Undefined for a failure found inside a response, such as one `$batch` sub-response. */
  durationMs: number | undefined;
}

/** A call about to be sent again after a retryable response. */
export interface UpstreamRetryRecord {
  operation: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** The status (`429`) or failure (`timeout`) that caused the retry. */
  reason: string;
  code?: string | undefined;
  requestId: string | undefined;
  clientRequestId: string | undefined;
}

/** A GraphQL operation that finished, with or without errors. */
export interface OperationRecord {
  operation: string;
  type: string;
  result: OperationResult;
  /** Execution time; undefined for an operation that failed validation and never ran. */
  durationMs: number | undefined;
}

/** An error that is masked as INTERNAL_SERVER_ERROR before the client sees it. */
export interface UnexpectedErrorRecord {
  operation: string;
  clientRequestId: string | undefined;
  durationMs: number;
  path: ReadonlyArray<string | number> | undefined;
  error: unknown;
}

/**
 * The logger and metrics of one gateway, behind one method per event, so that the HTTP client,
 * the GraphQL plugins and the server record the same event the same way. Create one per process.
 * Each instance has its own registry unless given one, so tests that create one per gateway never share counts.
 *
 * Log levels: failures and retries at warn, unexpected errors at error, nothing at info per
 * request. No method takes a token, a header map or a request body.
 */
export class Telemetry {
  // Errors already logged with their context, so that Yoga's own error log skips them.
  private readonly loggedErrors = new WeakSet<object>();

  constructor(
    readonly logger: Logger,
    readonly metrics: Metrics = createMetrics(),
  ) {}

  upstreamCompleted(record: UpstreamCallRecord): void {
    const status = record.status !== undefined ? String(record.status) : (record.failure ?? 'unknown');
    this.metrics.upstreamRequests.inc({ operation: record.operation, status });
    this.metrics.upstreamDuration.observe({ operation: record.operation }, record.durationMs / 1000);
  }

  upstreamFailed(record: UpstreamFailureRecord): void {
    this.logger.warn({ ...record }, 'Microsoft Graph call failed');
  }

  /**
   * Count and log one retry of a whole call. `GraphClient.request` calls it just before waiting
   * `delayMs`, once per retry. Retries of single items of a `$batch` are logged by the loader only.
   */
  upstreamRetrying(record: UpstreamRetryRecord): void {
    this.metrics.upstreamRetries.inc({ operation: record.operation, reason: record.reason });
    this.logger.warn({ ...record }, 'Retrying Microsoft Graph call');
  }

  operationCompleted(record: OperationRecord): void {
    const labels = { operation: record.operation, type: record.type };
    this.metrics.graphqlOperations.inc({ ...labels, result: record.result });
    if (record.durationMs !== undefined) this.metrics.graphqlDuration.observe(labels, record.durationMs / 1000);
  }

  /** Log an error that the client only sees as "Unexpected error.", once, with its stack. */
  unexpectedError(record: UnexpectedErrorRecord): void {
    const { error, ...context } = record;
    if (typeof error === 'object' && error !== null) {
      if (this.loggedErrors.has(error)) return;
      this.loggedErrors.add(error);
    }
    this.logger.error({ ...context, code: 'INTERNAL_SERVER_ERROR', err: error }, 'GraphQL operation failed with an unexpected error');
  }

  /** True when `unexpectedError` already logged this error or the error it wraps. */
  wasLogged(error: unknown): boolean {
    if (typeof error !== 'object' || error === null) return false;
    if (this.loggedErrors.has(error)) return true;

    const original = (error as { originalError?: unknown }).originalError;
    return typeof original === 'object' && original !== null && this.loggedErrors.has(original);
  }
}
