import { MissingCredentialsError } from './errors.js';

export interface CredentialSettings {
  graphAuth: 'passthrough' | 'static';
  graphToken: string | undefined;
  developmentToken: string | undefined;
}

/** Given the caller's `Authorization` header, return the bearer token to send to Graph. */
export type TokenProvider = (authorization: string | null) => string;

/** Return the token of a `Bearer` authorization header, or undefined when there is none. */
export function bearerToken(authorization: string | null): string | undefined {
  if (authorization === null) return undefined;

  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization.trim());
  return match?.[1];
}

/**
 * Build the credential provider of the configured mode. `passthrough` forwards the caller's
 * token (creating threads is a delegated-only operation in Graph, so this is the default);
 * `static` sends one configured token whatever the caller sent.
 */
export function createTokenProvider(settings: CredentialSettings): TokenProvider {
  if (settings.graphAuth === 'static') {
    const token = settings.graphToken;
    if (token === undefined) throw new Error('static auth needs a token');
    return () => token;
  }

  return (authorization) => {
    const token = bearerToken(authorization) ?? settings.developmentToken;
    if (token !== undefined) return token;

    const reason =
      authorization === null || authorization.trim() === ''
        ? 'The request has no Authorization header.'
        : 'The Authorization header is not "Bearer <token>" with a non-empty token.';
    throw new MissingCredentialsError(
      `${reason} Send the signed-in user's Microsoft Graph access token as "Authorization: Bearer <token>".`,
    );
  };
}
