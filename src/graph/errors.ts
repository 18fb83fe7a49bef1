/** Graph responded with an error status (its JSON error envelope, or at least a status it uses). */
export class GraphApiError extends Error {
  override name = 'GraphApiError';
  readonly operation: string;
  readonly status: number;
  /** Graph's own code, such as `ErrorItemNotFound` or `TooManyRequests`. */
  readonly code: string;
  readonly graphMessage: string;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;
  /** Parsed `Retry-After`, in seconds; undefined when Graph sent none. */
  readonly retryAfterSeconds: number | undefined;

  constructor(details: {
    operation: string;
    status: number;
    code: string;
    graphMessage: string;
    requestId?: string | undefined;
    clientRequestId?: string | undefined;
    retryAfterSeconds?: number | undefined;
  }) {
    super(`Microsoft Graph rejected ${details.operation} with ${details.status} ${details.code}: ${details.graphMessage}`);
    this.operation = details.operation;
    this.status = details.status;
    this.code = details.code;
    this.graphMessage = details.graphMessage;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export type TransportFailure =
  /** The gateway's own deadline for the call passed. */
  | 'timeout'
  /** Refused, reset or dropped connection, or a 5xx without Graph's error envelope. */
  | 'unavailable'
  /** A 2xx whose body is empty, not JSON, cut off or not the expected shape. */
  | 'bad-response'
  /** The GraphQL client went away, so the call was cancelled. */
  | 'aborted'
  /** Too many calls were already waiting for the group's mailbox, so this one was not sent. */
  | 'queue-full';

/** The gateway's public error code for each transport failure, as clients and logs show it. */
export const TRANSPORT_FAILURE_CODES: Record<TransportFailure, string> = {
  timeout: 'UPSTREAM_TIMEOUT',
  unavailable: 'UPSTREAM_UNAVAILABLE',
  'bad-response': 'UPSTREAM_BAD_RESPONSE',
  aborted: 'REQUEST_CANCELLED',
  'queue-full': 'MAILBOX_BUSY',
};

/** No usable response came from Graph. */
export class GraphTransportError extends Error {
  override name = 'GraphTransportError';
  readonly operation: string;
  readonly failure: TransportFailure;
  /** False only when the request certainly never reached Graph, such as a refused connection. */
  readonly mayHaveReachedGraph: boolean;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;

  constructor(
    details: {
      operation: string;
      failure: TransportFailure;
      mayHaveReachedGraph: boolean;
      message: string;
      status?: number | undefined;
      requestId?: string | undefined;
      clientRequestId?: string | undefined;
    },
    options?: { cause?: unknown },
  ) {
    super(details.message, options);
    this.operation = details.operation;
    this.failure = details.failure;
    this.mayHaveReachedGraph = details.mayHaveReachedGraph;
    this.status = details.status;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
  }
}

/** The request carries no credential that the configured auth mode can use. */
export class MissingCredentialsError extends Error {
  override name = 'MissingCredentialsError';
}

/** An id that cannot be sent as one path segment; raised before any request is made. */
export class InvalidIdError extends Error {
  override name = 'InvalidIdError';
  readonly field: string;
  readonly value: string;

  constructor(field: string, value: string, reason: string) {
    super(`${field} ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)} is invalid: ${reason}`);
    this.field = field;
    this.value = value;
  }
}

/**
 * The On-Behalf-Of exchange of the caller's token failed. `rejected` means the identity platform
 * rejected the caller's token (expired, wrong audience, consent missing), so the caller must sign
 * in again. `failed` means the exchange itself failed (unreachable endpoint, bad app credentials).
 */
export class TokenExchangeError extends Error {
  override name = 'TokenExchangeError';
  readonly failure: 'rejected' | 'failed';
  /** The identity platform's error code, such as `invalid_grant`, when it sent one. */
  readonly errorCode: string | undefined;

  constructor(failure: 'rejected' | 'failed', errorCode: string | undefined, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.failure = failure;
    this.errorCode = errorCode;
  }
}
