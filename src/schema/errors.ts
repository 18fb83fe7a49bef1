import { InputValidationError } from '@pothos/plugin-validation';
import { GraphQLError } from 'graphql';
import {
  GraphApiError,
  GraphTransportError,
  InvalidIdError,
  MissingCredentialsError,
  TokenExchangeError,
} from '../graph/errors.js';
import { builder } from './builder.js';

/** Stable `extensions.code` values of top-level errors; the README lists each. */
export const ErrorCode = {
  unauthenticated: 'UNAUTHENTICATED',
  upstreamTimeout: 'UPSTREAM_TIMEOUT',
  upstreamUnavailable: 'UPSTREAM_UNAVAILABLE',
  upstreamBadResponse: 'UPSTREAM_BAD_RESPONSE',
  requestCancelled: 'REQUEST_CANCELLED',
  mailboxBusy: 'MAILBOX_BUSY',
  idempotencyConflict: 'IDEMPOTENCY_CONFLICT',
  idempotencyInProgress: 'IDEMPOTENCY_IN_PROGRESS',
  idempotencyStoreUnavailable: 'IDEMPOTENCY_STORE_UNAVAILABLE',
  outcomeUnknown: 'OUTCOME_UNKNOWN',
  graphError: 'GRAPH_ERROR',
  badUserInput: 'BAD_USER_INPUT',
} as const;

export const ErrorInterface = builder.interfaceRef<{ message: string }>('Error').implement({
  description: 'An expected failure, returned as a member of a result union.',
  fields: (t) => ({
    message: t.exposeString('message'),
    // Every implementing type resolves its own code.
    code: t.string({ resolve: () => 'ERROR' }),
  }),
});

/** Graph responded with its error envelope (any status but 401); returned as the `GraphError` member. */
export class GraphErrorResult extends Error {
  override name = 'GraphErrorResult';

  constructor(
    readonly source: GraphApiError,
    /** True when a create may have happened anyway, as after a 5xx. */
    readonly outcomeUnknown: boolean,
  ) {
    super(
      outcomeUnknown
        ? `${source.message} The thread may have been created anyway: list the conversation's threads before trying again.`
        : source.message,
    );
  }
}

builder.objectType(GraphErrorResult, {
  name: 'GraphError',
  description: "Microsoft Graph responded with an error. `code` is Graph's own code, such as ErrorItemNotFound.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    code: t.string({ resolve: (error) => error.source.code }),
    status: t.int({ description: "Graph's HTTP status.", resolve: (error) => error.source.status }),
    requestId: t.string({ nullable: true, resolve: (error) => error.source.requestId ?? null }),
    clientRequestId: t.string({ nullable: true, resolve: (error) => error.source.clientRequestId ?? null }),
    retryAfterSeconds: t.float({
      nullable: true,
      description: 'Seconds Graph asked the caller to wait before trying again.',
      resolve: (error) => error.source.retryAfterSeconds ?? null,
    }),
    outcomeUnknown: t.boolean({
      description: 'True when the thread may have been created even though this error came back.',
      resolve: (error) => error.outcomeUnknown,
    }),
  }),
});

interface Issue {
  path: string;
  message: string;
}

function issuesOf(error: InputValidationError): Issue[] {
  return error.issues.map((issue) => ({
    path: (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)).join('.'),
    message: issue.message,
  }));
}

const ValidationIssue = builder.objectRef<Issue>('ValidationIssue').implement({
  description: 'One invalid input value.',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'Where the value is, such as input.toRecipients.0.emailAddress.address.' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(InputValidationError, {
  name: 'ValidationError',
  description: 'The input is invalid; nothing was sent to Microsoft Graph.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    code: t.string({ resolve: () => 'VALIDATION_FAILED' }),
    message: t.string({
      resolve: (error) => {
        const issues = issuesOf(error);
        const count = issues.length === 1 ? '1 invalid value' : `${issues.length} invalid values`;
        return `The input has ${count}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}.`;
      },
    }),
    issues: t.field({ type: [ValidationIssue], resolve: issuesOf }),
  }),
});

/**
 * Turn an adapter error into the top-level GraphQL error that clients branch on. `create` marks
 * the thread create, whose errors carry `outcomeUnknown`. Anything unexpected is returned as it
 * is, so that Yoga masks and logs it.
 */
export function toGraphQLError(error: unknown, create = false): unknown {
  if (error instanceof GraphQLError) return error;

  if (error instanceof MissingCredentialsError) {
    return new GraphQLError(error.message, { extensions: { code: ErrorCode.unauthenticated } });
  }
  if (error instanceof TokenExchangeError) {
    // No Graph call was made, so a create cannot have happened.
    const code = error.failure === 'rejected' ? ErrorCode.unauthenticated : ErrorCode.upstreamUnavailable;
    return new GraphQLError(error.message, {
      extensions: { code, ...(create ? { outcomeUnknown: false } : {}), ...(error.errorCode !== undefined ? { authError: error.errorCode } : {}) },
    });
  }
  if (error instanceof InvalidIdError) {
    return new GraphQLError(error.message, { extensions: { code: ErrorCode.badUserInput, field: error.field } });
  }
  if (error instanceof GraphApiError) {
    if (error.status === 401) {
      return new GraphQLError(
        `Microsoft Graph rejected the access token (${error.code}). Sign in again and send a fresh token.`,
        { extensions: { code: ErrorCode.unauthenticated, requestId: error.requestId, clientRequestId: error.clientRequestId } },
      );
    }
    return new GraphQLError(error.message, {
      extensions: {
        code: ErrorCode.graphError,
        graphCode: error.code,
        status: error.status,
        requestId: error.requestId,
        clientRequestId: error.clientRequestId,
        ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      },
    });
  }
  if (error instanceof GraphTransportError) {
    const code = {
      timeout: ErrorCode.upstreamTimeout,
      unavailable: ErrorCode.upstreamUnavailable,
      'bad-response': ErrorCode.upstreamBadResponse,
      aborted: ErrorCode.requestCancelled,
      'queue-full': ErrorCode.mailboxBusy,
    }[error.failure];
    const hint = create && error.mayHaveReachedGraph
      ? " The thread may have been created anyway: list the conversation's threads, or retry with the same idempotencyKey."
      : '';
    return new GraphQLError(error.message + hint, {
      extensions: {
        code,
        ...(create ? { outcomeUnknown: error.mayHaveReachedGraph } : {}),
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
        ...(error.clientRequestId !== undefined ? { clientRequestId: error.clientRequestId } : {}),
      },
    });
  }
  return error;
}
