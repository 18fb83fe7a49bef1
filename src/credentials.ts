import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import { createCredentialProvider, type CredentialProvider } from './graph/auth.js';
import type { createMsalExchange } from './graph/msal-exchange.js';
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

  const obo = config.obo;
  // MSAL is loaded on the first exchange, so that the other modes never pay for loading it at start.
  let msal: Promise<ReturnType<typeof createMsalExchange>> | undefined;
  const load = () =>
    (msal ??= import('./graph/msal-exchange.js').then((module) =>
      module.createMsalExchange({ settings: obo, logger, timeoutMs: config.graphTimeoutMs, dispatcher: identityDispatcher }),
    ));
  return {
    provider: createOboCredentialProvider({ exchange: async (assertion) => (await load()).exchange(assertion) }),
    close: async () => {
      if (msal !== undefined) await (await msal).close();
    },
  };
}
