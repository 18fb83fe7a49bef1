import { createHash } from 'node:crypto';
import { MissingCredentialsError } from './errors.js';

/** The bearer token sent to Graph for one request, and how to drop it once Graph rejects it. */
export interface Credential {
  token: string;
  /**
   * The caller's identity, for scoping idempotency keys: a hash of the caller's own token, or
   * `static` when every caller shares one configured token. Never the token itself.
   */
  scope: string;
  /**
   * Forget this token so that the next request obtains a new one. Called when Graph responds 401;
   * a no-op for tokens the gateway does not cache.
   */
  invalidate(): void;
}

/**
 * Given the caller's `Authorization` header, resolve the credential to send to Graph. Rejects
 * with `MissingCredentialsError` when the mode needs a caller token and the request has none.
 */
export type CredentialProvider = (authorization: string | null) => Promise<Credential>;

export interface CredentialSettings {
  graphAuth: 'passthrough' | 'static';
  graphToken: string | undefined;
  developmentToken: string | undefined;
}

/** Return the token of a `Bearer` authorization header, or undefined when there is none. */
export function bearerToken(authorization: string | null): string | undefined {
  if (authorization === null) return undefined;

  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization.trim());
  return match?.[1];
}

/** Return the caller's bearer token, or throw a `MissingCredentialsError` that names what to send. */
export function requireBearerToken(authorization: string | null, expected: string): string {
  const token = bearerToken(authorization);
  if (token !== undefined) return token;

  const reason =
    authorization === null || authorization.trim() === ''
      ? 'The request has no Authorization header.'
      : 'The Authorization header is not "Bearer <token>" with a non-empty token.';
  throw new MissingCredentialsError(`${reason} Send ${expected} as "Authorization: Bearer <token>".`);
}

/** Hash a caller token into an idempotency scope, so that no token is stored. */
export function scopeOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function fixed(token: string, knownScope?: string): Credential {
  let scope = knownScope;
  // Hashed only when an idempotency key needs it, not on every request.
  return {
    token,
    get scope() {
      scope ??= scopeOf(token);
      return scope;
    },
    invalidate: () => {},
  };
}

/**
 * Build the credential provider of the `passthrough` or `static` mode. `passthrough` forwards
 * the caller's token, and is the default because creating threads is a delegated-only operation
 * in Graph. `static` sends one configured token whatever the caller sent. The `obo` provider is
 * built in `obo.ts`.
 */
export function createCredentialProvider(settings: CredentialSettings): CredentialProvider {
  if (settings.graphAuth === 'static') {
    const token = settings.graphToken;
    if (token === undefined) throw new Error('static auth needs a token');
    return async () => fixed(token, 'static');
  }

  const development = settings.developmentToken;
  return async (authorization) => {
    // Only a request without any Authorization header gets the development token, so a
    // malformed header is reported here as it would be against real Graph.
    if (development !== undefined && (authorization === null || authorization.trim() === '')) return fixed(development);
    return fixed(requireBearerToken(authorization, "the signed-in user's Microsoft Graph access token"));
  };
}
