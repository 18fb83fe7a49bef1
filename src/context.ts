import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { createThreadLoader, type ThreadLoader } from './graph/batch.js';
import type { TokenProvider } from './graph/auth.js';
import type { GraphClient } from './graph/client.js';
import { ThreadsApi } from './graph/threads.js';
import { childTraceparent, parseTraceparent } from './observability/trace.js';

/** What every resolver of one GraphQL request shares. Nothing here outlives the request. */
export interface GatewayContext {
  /** The caller's `client-request-id`, or a new UUID; sent to Graph on every call of this request. */
  clientRequestId: string;
  /** W3C trace id from the caller's `traceparent`; Graph receives it on every call. Undefined without a valid header. */
  traceId: string | undefined;
  logger: Logger;
  /** Graph's thread operations with this request's credential; throws `MissingCredentialsError` without one. */
  threads(): ThreadsApi;
  /** The loader of threads for this request only. */
  threadLoader(): ThreadLoader;
  sleep(ms: number): Promise<void>;
}

export interface ContextDependencies {
  client: GraphClient;
  tokenProvider: TokenProvider;
  logger: Logger;
  sleep: (ms: number) => Promise<void>;
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
    const trace = parseTraceparent(request.headers.get('traceparent'));
    const traceparent = trace !== undefined ? childTraceparent(trace) : undefined;

    let threads: ThreadsApi | undefined;
    let loader: ThreadLoader | undefined;
    const context: GatewayContext = {
      clientRequestId,
      traceId: trace?.traceId,
      logger: deps.logger,
      sleep: deps.sleep,
      threads() {
        threads ??= new ThreadsApi(deps.client, {
          token: deps.tokenProvider(request.headers.get('authorization')),
          clientRequestId,
          traceparent,
          signal: request.signal,
        });
        return threads;
      },
      threadLoader() {
        loader ??= createThreadLoader(context.threads());
        return loader;
      },
    };
    return context;
  };
}
