import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { createThreadLoader, type ThreadLoader } from './graph/batch.js';
import type { Credential, CredentialProvider } from './graph/auth.js';
import type { GraphClient } from './graph/client.js';
import { ThreadsApi } from './graph/threads.js';
import type { IdempotencyStore } from './idempotency/store.js';
import { parseTraceparent } from './observability/trace.js';

/** The state every resolver of one GraphQL request shares. Nothing here outlives the request. */
export interface GatewayContext {
  /** The caller's `client-request-id`, or a new UUID; sent to Graph on every call of this request. */
  clientRequestId: string;
  /** W3C trace id from the caller's `traceparent`; Graph receives it on every call. Undefined without a valid header. */
  traceId: string | undefined;
  logger: Logger;
  /**
   * Graph's thread operations with this request's credential. Its calls reject with
   * `MissingCredentialsError`, before any upstream request, when the request carries no usable credential.
   */
  threads(): ThreadsApi;
  /** The loader of threads for this request only. */
  threadLoader(): ThreadLoader;
  sleep(ms: number): Promise<void>;
  now(): number;
  idempotency: IdempotencySettings;
}

/** Settings of the idempotency keys of `addThread`. */
export interface IdempotencySettings {
  store: IdempotencyStore;
  /** How long a key is remembered, in milliseconds. */
  ttlMs: number;
  /** How long other requests wait for a running create before treating its outcome as unknown. */
  leaseMs: number;
  /** How long after a create with an unknown outcome its thread may still be invisible to reads. */
  settleMs: number;
  /** First wait between looks at a running create's record; it doubles up to 16 times this. */
  pollMs: number;
}

export interface ContextDependencies {
  client: GraphClient;
  credentials: CredentialProvider;
  logger: Logger;
  sleep: (ms: number) => Promise<void>;
  /** Total milliseconds that the retries of one batch of reads may wait. */
  retryBudgetMs: number;
  idempotency: IdempotencySettings;
  now?: () => number;
}

// Printable ASCII without spaces; anything else from the caller is replaced by a new UUID.
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

/** Build a fresh context for each request: credentials are read lazily, loaders are new. */
export function createContextFactory(deps: ContextDependencies) {
  return ({ request }: { request: Request }): GatewayContext => {
    const callerRequestId = request.headers.get('client-request-id')?.trim();
    const clientRequestId =
      callerRequestId !== undefined && CLIENT_REQUEST_ID.test(callerRequestId) ? callerRequestId : randomUUID();
    // NOTE: without a caller's trace nothing is sent, because the gateway records no spans of its own.
    // The client gives each Graph call its own span id below the caller's; this keeps the caller's header.
    const callerTraceparent = request.headers.get('traceparent');
    const trace = parseTraceparent(callerTraceparent);
    const traceparent = trace !== undefined ? callerTraceparent!.trim().toLowerCase() : undefined;

    // Resolved once per request and only when a resolver calls Graph, so a request that fails
    // validation never reaches the token endpoint.
    let credential: Promise<Credential> | undefined;
    let threads: ThreadsApi | undefined;
    let loader: ThreadLoader | undefined;
    const context: GatewayContext = {
      clientRequestId,
      traceId: trace?.traceId,
      logger: deps.logger,
      sleep: deps.sleep,
      now: deps.now ?? Date.now,
      idempotency: deps.idempotency,
      threads() {
        threads ??= new ThreadsApi(deps.client, {
          credential: () => (credential ??= deps.credentials(request.headers.get('authorization'))),
          clientRequestId,
          traceparent,
          signal: request.signal,
        });
        return threads;
      },
      threadLoader() {
        loader ??= createThreadLoader(context.threads(), {
          sleep: deps.sleep,
          retryBudgetMs: deps.retryBudgetMs,
          logger: deps.logger,
        });
        return loader;
      },
    };
    return context;
  };
}
