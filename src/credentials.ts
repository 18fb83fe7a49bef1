import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import { createCredentialProvider, type CredentialProvider } from './graph/auth.js';
import { createMsalExchange } from './graph/msal-exchange.js';
import { createOboCredentialProvider } from './graph/obo.js';

/** Build the credential provider of the configured mode, and a function that releases what it holds. */
export function createCredentials(
  config: Config,
  logger: Logger,
  identityDispatcher?: Dispatcher,
): { provider: CredentialProvider; close: () => Promise<void> } {
  if (config.graphAuth !== 'obo') {
    return { provider: createCredentialProvider({ ...config, graphAuth: config.graphAuth }), close: async () => {} };
  }
  if (config.obo === undefined) throw new Error('obo auth needs config.obo');

  const msal = createMsalExchange({
    settings: config.obo,
    logger,
    timeoutMs: config.graphTimeoutMs,
    dispatcher: identityDispatcher,
  });
  return { provider: createOboCredentialProvider({ exchange: msal.exchange }), close: msal.close };
}
