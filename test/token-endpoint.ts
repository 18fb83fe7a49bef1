import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { listen } from './helpers.js';

export const TENANT_ID = '22222222-2222-4222-8222-222222222222';
export const CLIENT_ID = '33333333-3333-4333-8333-333333333333';
export const CLIENT_SECRET = 'placeholder-client-secret';

/** One request the token endpoint received. */
export interface TokenRequest {
  method: string;
  path: string;
  /** The `Host` header, to prove that MSAL addressed the loopback endpoint. */
  host: string;
  form: URLSearchParams;
}

export interface TokenEndpoint {
  /** The authority host, such as https://127.0.0.1:43123, for AZURE_AUTHORITY_HOST. */
  origin: string;
  requests: TokenRequest[];
  /** The On-Behalf-Of token requests only. */
  exchanges(): TokenRequest[];
  /** A connection pool that trusts the endpoint's self-signed certificate, and records every origin it dialled. */
  dispatcher: Agent;
  dialled: string[];
  close(): Promise<void>;
}

/** An undici pool that trusts one certificate and notes the origin of every request it sends. */
class RecordingAgent extends Agent {
  constructor(
    private readonly dialled: string[],
    ca: string,
  ) {
    super({ connect: { ca } });
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.dialled.push(String(options.origin));
    return super.dispatch(options, handler);
  }
}

/** Create a self-signed certificate for 127.0.0.1 with the openssl command, for this test run only. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'token-endpoint-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A stand-in for the Microsoft identity platform on 127.0.0.1 over HTTPS (MSAL accepts only https
 * authorities): OpenID metadata of one tenant and its token endpoint. `issue` returns the Graph
 * token for a caller's assertion, or an OAuth error code to respond with 400.
 */
export async function startTokenEndpoint(
  issue: (assertion: string, form: URLSearchParams) => { accessToken: string; expiresIn?: number } | { error: string },
): Promise<TokenEndpoint> {
  const requests: TokenRequest[] = [];
  let origin = '';
  const certificate = selfSignedCertificate();
  const server = createServer(certificate, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?', 1)[0]!;
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      requests.push({ method: req.method ?? '', path, host: req.headers.host ?? '', form });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };

      if (req.method === 'GET' && path === `/${TENANT_ID}/v2.0/.well-known/openid-configuration`) {
        send(200, {
          issuer: `${origin}/${TENANT_ID}/v2.0`,
          authorization_endpoint: `${origin}/${TENANT_ID}/oauth2/v2.0/authorize`,
          token_endpoint: `${origin}/${TENANT_ID}/oauth2/v2.0/token`,
          end_session_endpoint: `${origin}/${TENANT_ID}/oauth2/v2.0/logout`,
          jwks_uri: `${origin}/${TENANT_ID}/discovery/v2.0/keys`,
        });
        return;
      }
      if (req.method === 'POST' && path === `/${TENANT_ID}/oauth2/v2.0/token`) {
        const result = issue(form.get('assertion') ?? '', form);
        if ('error' in result) {
          send(400, { error: result.error, error_description: `Placeholder description of ${result.error}.`, error_codes: [50013] });
          return;
        }
        send(200, {
          token_type: 'Bearer',
          scope: form.get('scope') ?? '',
          expires_in: result.expiresIn ?? 3600,
          ext_expires_in: result.expiresIn ?? 3600,
          access_token: result.accessToken,
        });
        return;
      }
      send(404, { error: 'not_found' });
    });
  });
  const served = await listen(server);
  origin = served.url.replace('http://', 'https://');

  const dialled: string[] = [];
  const dispatcher = new RecordingAgent(dialled, certificate.cert);
  return {
    origin,
    requests,
    exchanges: () => requests.filter((request) => request.method === 'POST'),
    dispatcher,
    dialled,
    close: async () => {
      await dispatcher.close();
      await served.close();
    },
  };
}
