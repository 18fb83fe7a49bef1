import {
  ConfidentialClientApplication,
  InteractionRequiredAuthError,
  LogLevel,
  ServerError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import type { Logger } from 'pino';
import { Agent, request, type Dispatcher } from 'undici';
import type { OboSettings } from '../config.js';
import { TokenExchangeError } from './errors.js';
import type { TokenExchange } from './obo.js';

export interface MsalExchangeOptions {
  settings: OboSettings;
  logger: Logger;
  /** Deadline of one call to the identity platform in milliseconds. */
  timeoutMs: number;
  /** Connection pool for the identity platform; tests pass one that trusts their certificate. */
  dispatcher?: Dispatcher | undefined;
}

// Error codes with which the identity platform rejects the caller's token itself, so signing in
// again is the fix. Any other failure is the gateway's own problem.
const REJECTED_CODES = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required']);

/**
 * Send MSAL's HTTP calls through undici with a deadline. MSAL 7's default client sets no
 * deadline on the token POST, so a stalled identity platform would hold requests forever.
 */
function createNetworkModule(dispatcher: Dispatcher, timeoutMs: number): INetworkModule {
  async function send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const response = await request(url, {
      method,
      headers: options?.headers,
      body: method === 'POST' ? (options?.body ?? '') : undefined,
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers, body: (await response.body.json()) as T };
  }

  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/** Build the On-Behalf-Of exchange on MSAL's confidential client, and a function that closes its pool. */
export function createMsalExchange(options: MsalExchangeOptions): { exchange: TokenExchange; close: () => Promise<void> } {
  const { settings, logger } = options;
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 4_000 });
  const authorityHost = new URL(settings.authorityHost).host;

  const application = new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      authority: `${settings.authorityHost}/${settings.tenantId}`,
      // The operator names the cloud's host, so MSAL trusts it without asking the public cloud's
      // instance discovery endpoint, which national clouds and closed networks cannot reach.
      knownAuthorities: [authorityHost],
    },
    system: {
      networkClient: createNetworkModule(dispatcher, options.timeoutMs),
      loggerOptions: {
        logLevel: LogLevel.Warning,
        piiLoggingEnabled: false,
        loggerCallback: (level, message) => {
          if (level === LogLevel.Error) logger.error({ msal: message }, 'MSAL reported an error');
          else logger.warn({ msal: message }, 'MSAL reported a warning');
        },
      },
    },
  });

  const exchange: TokenExchange = async (assertion) => {
    let result;
    try {
      // skipCache: the gateway keeps its own cache, keyed by the caller token, with eviction on 401.
      result = await application.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: settings.scopes, skipCache: true });
    } catch (error) {
      const exchangeError = toExchangeError(error, settings.authorityHost);
      if (exchangeError.failure === 'failed') {
        logger.error(
          { err: error, authorityHost: settings.authorityHost },
          'On-Behalf-Of token exchange failed; check AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_AUTHORITY_HOST',
        );
      }
      throw exchangeError;
    } finally {
      // MSAL stores every result in its own memory cache, which the gateway never reads; clearing
      // it keeps memory bounded by the gateway's cache.
      application.clearCache();
    }
    if (result === null || result.expiresOn === null) {
      throw new TokenExchangeError('failed', undefined, `The On-Behalf-Of exchange at ${settings.authorityHost} returned no access token.`);
    }
    return { accessToken: result.accessToken, expiresAt: result.expiresOn.getTime() };
  };

  return {
    exchange,
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

function toExchangeError(error: unknown, authorityHost: string): TokenExchangeError {
  const code = error instanceof ServerError || error instanceof InteractionRequiredAuthError ? error.errorCode : undefined;
  if (code !== undefined && REJECTED_CODES.has(code)) {
    return new TokenExchangeError(
      'rejected',
      code,
      `The identity platform rejected the caller's token for the On-Behalf-Of exchange (${code}). Sign in again and send a fresh access token issued for this API.`,
      { cause: error },
    );
  }
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return new TokenExchangeError(
    'failed',
    code,
    `The gateway could not exchange the caller's token for a Microsoft Graph token at ${authorityHost} (${detail}). Try again later; operators find the cause in the gateway's log.`,
    { cause: error },
  );
}
