import { Agent, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { childTraceparent, parseTraceparent } from '../observability/trace.js';
import { Telemetry } from '../observability/telemetry.js';
import { GraphApiError, GraphTransportError, TRANSPORT_FAILURE_CODES } from './errors.js';
import { MailboxLimiter, QueueFullError } from './mailbox-limiter.js';
import { header, interpretResponse } from './response.js';
import { decideRetry, DEFAULT_RETRY_SETTINGS, sleepUnlessAborted, type RetrySettings } from './retry.js';

/** One upstream call, described by the thread operations. */
export interface GraphCall {
  /** Name used in messages and logs, such as `createThread`. */
  operation: string;
  method: 'GET' | 'POST';
  /** Path below the base URL, already percent-encoded, starting with "/", with an optional query. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** True when the call changes nothing in Graph (reads, and batches of reads), so any failure may be retried. */
  idempotent: boolean;
  /** The group whose mailbox the call reaches; calls per mailbox are limited. */
  mailbox?: string | undefined;
  token: string;
  clientRequestId: string;
  /** The request's W3C `traceparent`; each call sends it with a new span id. */
  traceparent?: string | undefined;
  /** Aborted when the GraphQL client goes away. */
  signal?: AbortSignal | undefined;
}

export interface GraphResult {
  status: number;
  /** The parsed JSON body. */
  body: unknown;
  requestId: string | undefined;
  clientRequestId: string | undefined;
}

export interface GraphClientOptions {
  /** Graph's versioned root, such as https://graph.microsoft.com/v1.0. */
  baseUrl: URL;
  /** Deadline for one call in milliseconds: connecting, sending, the headers and the whole body. */
  timeoutMs: number;
  logger: Logger;
  /** Metrics and failure logs; by default a `Telemetry` on `logger` with metrics of its own. */
  telemetry?: Telemetry;
  /** The connection pool; by default a keep-alive `Agent` owned and closed by this client. */
  dispatcher?: Dispatcher;
  userAgent?: string;
  now?: () => number;
  /** Retry budget and backoff; the budget defaults to 30 s. */
  retry?: Partial<RetrySettings>;
  /** Waits before a retry; tests inject one that returns at once. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Concurrency limit per group mailbox; by default 4 running and 200 waiting calls per group. */
  limiter?: MailboxLimiter;
  random?: () => number;
}

// Errors that undici raises before a request leaves the machine, so the request never reached Graph.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;

  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return errorCode((error as { cause?: unknown }).cause);
}

/**
 * The HTTP client for Microsoft Graph: one keep-alive connection pool, one deadline per call,
 * the allow-listed headers, the per-mailbox limit, and Graph's responses turned into results or
 * typed errors. `request` retries what is safe to retry; `send` sends once.
 */
export class GraphClient {
  readonly baseUrl: URL;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly telemetry: Telemetry;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly userAgent: string;
  private readonly now: () => number;
  private readonly retry: RetrySettings;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  readonly limiter: MailboxLimiter;

  constructor(options: GraphClientOptions) {
    this.baseUrl = options.baseUrl;
    this.origin = options.baseUrl.origin;
    this.basePath = options.baseUrl.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.telemetry = options.telemetry ?? new Telemetry(options.logger);
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ?? new Agent({ keepAliveTimeout: 4_000, connections: 64, pipelining: 1 });
    this.userAgent = options.userAgent ?? 'graph-threads-gateway';
    this.now = options.now ?? Date.now;
    this.retry = { budgetMs: 30_000, ...DEFAULT_RETRY_SETTINGS, ...options.retry };
    this.sleep = options.sleep ?? sleepUnlessAborted;
    this.random = options.random ?? Math.random;
    this.limiter = options.limiter ?? new MailboxLimiter(4, 200);
  }

  /**
   * Send a call, retrying what is safe to retry within the budget: 429 always, 503 and 504 only for
   * idempotent calls, and connections that failed before the request left the machine. A retry
   * is the same request byte for byte, with the same `client-request-id`.
   */
  async request(original: GraphCall): Promise<GraphResult> {
    // One span id for the call and all its retries, so that a retry repeats every header.
    const trace = parseTraceparent(original.traceparent);
    const call = trace === undefined ? { ...original, traceparent: undefined } : { ...original, traceparent: childTraceparent(trace) };
    const startedAt = this.now();
    // Counted apart from the clock, so that an injected sleep that returns at once still spends budget.
    let waitedMs = 0;

    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.sendInMailbox(call);
      } catch (error) {
        if (!(error instanceof GraphApiError || error instanceof GraphTransportError)) throw error;

        const decision = decideRetry(
          {
            status: error.status,
            retryAfterSeconds: error instanceof GraphApiError ? error.retryAfterSeconds : undefined,
            idempotent: call.idempotent,
            mayHaveReachedGraph: error instanceof GraphTransportError ? error.mayHaveReachedGraph : true,
            transportFailure: error instanceof GraphTransportError ? error.failure : undefined,
          },
          attempt,
          Math.max(this.now() - startedAt, waitedMs),
          this.retry,
          this.random,
        );
        if (!decision.retry) throw error;

        this.telemetry.upstreamRetrying({
          operation: call.operation,
          attempt,
          delayMs: decision.delayMs,
          reason: error.status !== undefined ? String(error.status) : (error as GraphTransportError).failure,
          code: error instanceof GraphApiError ? error.code : TRANSPORT_FAILURE_CODES[error.failure],
          requestId: error.requestId,
          clientRequestId: call.clientRequestId,
        });
        waitedMs += decision.delayMs;
        try {
          await this.sleep(decision.delayMs, call.signal);
        } catch {
          throw new GraphTransportError({
            operation: call.operation,
            failure: 'aborted',
            mayHaveReachedGraph: error instanceof GraphTransportError ? error.mayHaveReachedGraph : true,
            message: `${call.operation} was cancelled because the client went away.`,
          });
        }
      }
    }
  }

  private async sendInMailbox(call: GraphCall): Promise<GraphResult> {
    if (call.mailbox === undefined) return this.send(call);

    try {
      return await this.limiter.run(call.mailbox, () => this.send(call), call.signal);
    } catch (error) {
      if (error instanceof QueueFullError) {
        throw new GraphTransportError({ operation: call.operation, failure: 'queue-full', mayHaveReachedGraph: false, message: error.message });
      }
      if (call.signal?.aborted && !(error instanceof GraphApiError || error instanceof GraphTransportError)) {
        throw new GraphTransportError({
          operation: call.operation,
          failure: 'aborted',
          mayHaveReachedGraph: false,
          message: `${call.operation} was cancelled while it waited for its group's mailbox.`,
        });
      }
      throw error;
    }
  }

  /**
   * Send one call and return Graph's 2xx JSON response; throws `GraphApiError` or
   * `GraphTransportError`. Every call is counted, and every failure is logged once at warn.
   */
  async send(call: GraphCall): Promise<GraphResult> {
    const startedAt = this.now();
    try {
      const result = await this.exchange(call);
      this.telemetry.upstreamCompleted({ operation: call.operation, status: result.status, durationMs: this.now() - startedAt });
      return result;
    } catch (error) {
      const durationMs = this.now() - startedAt;
      if (error instanceof GraphApiError || error instanceof GraphTransportError) {
        const failure = error instanceof GraphTransportError ? error.failure : undefined;
        this.telemetry.upstreamCompleted({ operation: call.operation, status: error.status, failure, durationMs });
        this.reportFailure(call, error, durationMs);
      }
      throw error;
    }
  }

  /**
   * Log one failed call at warn with Graph's request ids. `send` reports its own failures; callers
   * report failures that they find in a 2xx response, such as a failed `$batch` sub-request.
   */
  reportFailure(
    call: Pick<GraphCall, 'clientRequestId' | 'traceparent'>,
    error: GraphApiError | GraphTransportError,
    durationMs?: number,
  ): void {
    this.telemetry.upstreamFailed({
      operation: error.operation,
      status: error.status,
      code: error instanceof GraphApiError ? error.code : TRANSPORT_FAILURE_CODES[error.failure],
      requestId: error.requestId,
      clientRequestId: error.clientRequestId ?? call.clientRequestId,
      traceId: parseTraceparent(call.traceparent)?.traceId,
      durationMs,
    });
  }

  private async exchange(call: GraphCall): Promise<GraphResult> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${call.token}`,
      accept: 'application/json',
      'client-request-id': call.clientRequestId,
      'user-agent': this.userAgent,
    };
    if (call.traceparent !== undefined) headers.traceparent = call.traceparent;

    let payload: string | undefined;
    if (call.body !== undefined) {
      payload = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }

    const fail = (details: Omit<ConstructorParameters<typeof GraphTransportError>[0], 'operation'>, cause?: unknown) =>
      new GraphTransportError({ operation: call.operation, ...details }, { cause });

    if (call.signal?.aborted) {
      throw fail({ failure: 'aborted', mayHaveReachedGraph: false, message: `${call.operation} was cancelled before it was sent.` });
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onCallerAbort = () => controller.abort();
    call.signal?.addEventListener('abort', onCallerAbort, { once: true });

    let status: number | undefined;
    let responseHeaders: Record<string, string | string[] | undefined> = {};
    let text: string;
    try {
      const response = await this.dispatcher.request({
        origin: this.origin,
        path: this.basePath + call.path,
        method: call.method,
        headers,
        body: payload,
        signal: controller.signal,
      });
      status = response.statusCode;
      responseHeaders = response.headers;
      text = await response.body.text();
    } catch (error) {
      const requestId = header(responseHeaders, 'request-id');
      const clientRequestId = header(responseHeaders, 'client-request-id');
      if (timedOut) {
        throw fail(
          {
            failure: 'timeout',
            mayHaveReachedGraph: true,
            status,
            requestId,
            clientRequestId,
            message: `${call.operation} timed out: Microsoft Graph sent no complete response within ${this.timeoutMs} ms.`,
          },
          error,
        );
      }
      if (call.signal?.aborted) {
        throw fail({ failure: 'aborted', mayHaveReachedGraph: true, status, message: `${call.operation} was cancelled because the client went away.` }, error);
      }
      if (status !== undefined && status >= 200 && status < 300) {
        throw fail(
          {
            failure: 'bad-response',
            mayHaveReachedGraph: true,
            status,
            requestId,
            clientRequestId,
            message: `${call.operation} failed: Microsoft Graph's ${status} response was cut off before its body ended.`,
          },
          error,
        );
      }
      const code = errorCode(error);
      const notSent = status === undefined && code !== undefined && NOT_SENT_CODES.has(code);
      throw fail(
        {
          failure: 'unavailable',
          mayHaveReachedGraph: !notSent,
          status,
          requestId,
          clientRequestId,
          message: `${call.operation} failed: the connection to Microsoft Graph ${notSent ? 'could not be opened' : 'broke'} (${code ?? 'no error code'}).`,
        },
        error,
      );
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onCallerAbort);
    }

    const result = interpretResponse(call.operation, status, responseHeaders, text, this.now());
    if (result instanceof Error) throw result;
    return result;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}
