import { ConfigError, describe, parseOrigin, readList, type Environment } from './config-readers.js';

/** Settings of the On-Behalf-Of exchange (`GRAPH_AUTH=obo`). */
export interface OboSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Origin of the Microsoft identity platform of the app's cloud, such as https://login.microsoftonline.us. */
  authorityHost: string;
  /** Scopes requested for Graph, such as `https://graph.microsoft.com/.default`. */
  scopes: string[];
}

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A tenant is a GUID or a verified domain such as contoso.onmicrosoft.com; it becomes a path segment of the authority.
const TENANT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

function required(env: Environment, name: string, what: string): string {
  const value = env[name]?.trim();
  if (value === undefined || value === '') {
    throw new ConfigError(`GRAPH_AUTH=obo needs ${name}, ${what}.`);
  }
  return value;
}

/**
 * Read the On-Behalf-Of settings. The default Graph scope is `<origin of GRAPH_BASE_URL>/.default`,
 * because scopes and tokens belong to one cloud: a token for graph.microsoft.com is not accepted
 * by graph.microsoft.us.
 */
export function readOboSettings(env: Environment, graphBaseUrl: URL | undefined): OboSettings {
  if (graphBaseUrl === undefined) {
    throw new ConfigError(
      'GRAPH_AUTH=obo needs GRAPH_BASE_URL, the Microsoft Graph root of the cloud the app is registered in, such as https://graph.microsoft.com/v1.0.',
    );
  }

  const tenantId = required(env, 'AZURE_TENANT_ID', 'the directory (tenant) id of the app registration');
  if (!TENANT.test(tenantId)) {
    throw new ConfigError(
      `AZURE_TENANT_ID must be a tenant GUID or a domain such as contoso.onmicrosoft.com; got ${describe(env.AZURE_TENANT_ID)}.`,
    );
  }
  const clientId = required(env, 'AZURE_CLIENT_ID', 'the application (client) id of the app registration');
  if (!GUID.test(clientId)) {
    throw new ConfigError(`AZURE_CLIENT_ID must be a GUID; got ${describe(env.AZURE_CLIENT_ID)}.`);
  }
  // The secret itself never appears in a message.
  const clientSecret = required(env, 'AZURE_CLIENT_SECRET', 'a client secret of the app registration');

  const rawHost = env.AZURE_AUTHORITY_HOST?.trim() || DEFAULT_AUTHORITY_HOST;
  const authorityHost = parseOrigin('AZURE_AUTHORITY_HOST', rawHost, ['https:']);

  const scopes = env.GRAPH_SCOPES?.trim() ? readList(env, 'GRAPH_SCOPES') : [`${graphBaseUrl.origin}/.default`];
  for (const scope of scopes) {
    if (!/^https?:\/\/\S+\/\S+$/.test(scope)) {
      throw new ConfigError(
        `GRAPH_SCOPES must list absolute scopes such as ${graphBaseUrl.origin}/.default, separated by spaces or commas; got ${describe(scope)}.`,
      );
    }
  }

  return { tenantId, clientId, clientSecret, authorityHost, scopes };
}
