import { createHash } from 'node:crypto';
import { requireBearerToken, type Credential, type CredentialProvider } from './auth.js';

/** A Graph token obtained On-Behalf-Of a caller. */
export interface ExchangedToken {
  accessToken: string;
  /** Expiry in epoch milliseconds. */
  expiresAt: number;
}

/** Exchange the caller's token (audience: this API) for a Graph token. */
export type TokenExchange = (assertion: string) => Promise<ExchangedToken>;

export interface OboProviderOptions {
  exchange: TokenExchange;
  now?: () => number;
  /** A cached token is exchanged afresh this long before it expires, in milliseconds. */
  renewBeforeMs?: number;
  /** Callers kept at most; the oldest entry is dropped first. */
  maxEntries?: number;
}

interface Entry {
  /** Pending while the exchange runs, so that concurrent requests of one caller share it. */
  token: Promise<ExchangedToken>;
}

/**
 * Build the `obo` credential provider. Exchanged tokens are cached per caller token, keyed by
 * its SHA-256 so that no caller token is kept in memory, until shortly before they expire or
 * until Graph rejects them. A request without a bearer token is rejected before any exchange,
 * and there is no fallback to a static or app-only token.
 */
export function createOboCredentialProvider(options: OboProviderOptions): CredentialProvider {
  const now = options.now ?? Date.now;
  const renewBeforeMs = options.renewBeforeMs ?? 5 * 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, Entry>();

  function start(key: string, assertion: string): Entry {
    const entry: Entry = { token: options.exchange(assertion) };
    // A failed exchange is never cached: the next request tries again.
    entry.token.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });

    cache.set(key, entry);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    return entry;
  }

  return async (authorization) => {
    const assertion = requireBearerToken(authorization, 'an access token issued for this API');
    const key = createHash('sha256').update(assertion).digest('base64url');

    let entry = cache.get(key);
    if (entry !== undefined) {
      const cached = await entry.token.catch(() => undefined);
      if (cached === undefined || cached.expiresAt - renewBeforeMs <= now()) {
        if (cache.get(key) === entry) cache.delete(key);
        entry = undefined;
      }
    }
    entry ??= cache.get(key) ?? start(key, assertion);

    const current = entry;
    const token = await current.token;
    const credential: Credential = {
      token: token.accessToken,
      // Keys are scoped by the caller's own token, which stays the same across exchanges.
      scope: key,
      // Only the entry that drew the 401 is dropped; a newer exchange for this caller stays.
      invalidate: () => {
        if (cache.get(key) === current) cache.delete(key);
      },
    };
    return credential;
  };
}
