import { afterEach, describe, expect, it } from 'vitest';
import { ADD, startHarness, TOKEN_A, TOKEN_B, vars, type Harness } from './helpers.js';
import { CLIENT_ID, CLIENT_SECRET, startTokenEndpoint, TENANT_ID, type TokenEndpoint } from './token-endpoint.js';

const GRAPH_TOKENS: Record<string, string> = { [TOKEN_A]: 'graph-token-A', [TOKEN_B]: 'graph-token-B' };

describe('On-Behalf-Of credentials', () => {
  let endpoint: TokenEndpoint | undefined;
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    await endpoint?.close();
    harness = undefined;
    endpoint = undefined;
  });

  async function start(issue: Parameters<typeof startTokenEndpoint>[0], acceptToken?: (token: string | undefined) => boolean) {
    endpoint = await startTokenEndpoint(issue);
    harness = await startHarness({
      fake: acceptToken === undefined ? {} : { acceptToken },
      env: {
        GRAPH_AUTH: 'obo',
        AZURE_TENANT_ID: TENANT_ID,
        AZURE_CLIENT_ID: CLIENT_ID,
        AZURE_CLIENT_SECRET: CLIENT_SECRET,
        AZURE_AUTHORITY_HOST: endpoint.origin,
        // Set to prove that obo mode never falls back to it.
        GRAPH_TOKEN: 'static-token-never-sent',
      },
      inject: { identityDispatcher: endpoint.dispatcher },
    });
    return { endpoint, harness };
  }

  it('sends Graph the exchanged token, never the caller token', async () => {
    const { endpoint, harness } = await start((assertion) => ({ accessToken: GRAPH_TOKENS[assertion] ?? 'unknown' }));

    const result = await harness.graphql(ADD, vars());

    expect(result.body.data?.addThread.__typename).toBe('AddThreadSuccess');
    expect(harness.fake.httpCalls('POST').map((call) => call.token)).toEqual(['graph-token-A']);
    const [exchange] = endpoint.exchanges();
    expect(exchange?.form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(exchange?.form.get('requested_token_use')).toBe('on_behalf_of');
    expect(exchange?.form.get('assertion')).toBe(TOKEN_A);
    expect(exchange?.form.get('client_id')).toBe(CLIENT_ID);
    expect(exchange?.form.get('scope')?.split(' ')).toContain(`${new URL(harness.config.graphBaseUrl!).origin}/.default`);
  });

  it('calls only the loopback identity endpoint', async () => {
    const { endpoint, harness } = await start((assertion) => ({ accessToken: GRAPH_TOKENS[assertion] ?? 'unknown' }));

    await harness.graphql(ADD, vars());

    expect(endpoint.requests.length).toBeGreaterThan(0);
    expect(new Set(endpoint.requests.map((request) => request.host))).toEqual(new Set([new URL(endpoint.origin).host]));
    expect(new Set(endpoint.dialled)).toEqual(new Set([endpoint.origin]));
  });

  it('reuses a cached token for the same caller', async () => {
    const { endpoint, harness } = await start((assertion) => ({ accessToken: GRAPH_TOKENS[assertion] ?? 'unknown' }));

    await harness.graphql(ADD, vars());
    await harness.graphql(ADD, vars());

    expect(endpoint.exchanges()).toHaveLength(1);
    expect(harness.fake.httpCalls('POST').map((call) => call.token)).toEqual(['graph-token-A', 'graph-token-A']);
  });

  it('exchanges afresh after Graph rejects the cached token', async () => {
    let issued = 0;
    const { endpoint, harness } = await start(
      () => ({ accessToken: `graph-token-A${++issued}` }),
      (token) => token !== 'graph-token-A1',
    );

    const first = await harness.graphql(ADD, vars());
    const second = await harness.graphql(ADD, vars());

    expect(first.body.data?.addThread).toBeNull();
    expect(first.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(second.body.data?.addThread.__typename).toBe('AddThreadSuccess');
    expect(endpoint.exchanges().map((request) => request.form.get('assertion'))).toEqual([TOKEN_A, TOKEN_A]);
    expect(harness.fake.httpCalls('POST').map((call) => call.token)).toEqual(['graph-token-A1', 'graph-token-A2']);
  });

  it('rejects a caller without a token before any exchange', async () => {
    const { endpoint, harness } = await start((assertion) => ({ accessToken: GRAPH_TOKENS[assertion] ?? 'unknown' }));

    const headerSets: Array<Record<string, string>> = [{}, { authorization: 'Bearer ' }, { authorization: 'Basic dXNlcjpwYXNz' }];
    for (const headers of headerSets) {
      const result = await harness.graphql(ADD, vars(), headers);

      expect(result.body.data?.addThread).toBeNull();
      expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(endpoint.requests).toHaveLength(0);
    expect(harness.fake.calls).toHaveLength(0);
  });

  it('keeps the tokens of two callers apart', async () => {
    const { endpoint, harness } = await start(
      (assertion) => ({ accessToken: GRAPH_TOKENS[assertion] ?? 'unknown' }),
      (token) => token === 'graph-token-A' || token === 'graph-token-B',
    );
    const callers = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? TOKEN_A : TOKEN_B));

    const results = await Promise.all(
      callers.map((token, index) =>
        harness.graphql(ADD, vars(), { authorization: `Bearer ${token}`, 'client-request-id': `call-${index}` }),
      ),
    );
    await harness.graphql(ADD, vars(), { authorization: `Bearer ${TOKEN_A}`, 'client-request-id': 'call-20' });
    await harness.graphql(ADD, vars(), { authorization: `Bearer ${TOKEN_B}`, 'client-request-id': 'call-21' });

    expect(results.every((result) => result.body.data?.addThread.__typename === 'AddThreadSuccess')).toBe(true);
    const posts = harness.fake.httpCalls('POST');
    expect(posts).toHaveLength(22);
    for (const call of posts) {
      const index = Number(call.headers['client-request-id']!.replace('call-', ''));
      expect(call.token, call.headers['client-request-id']).toBe(index % 2 === 0 ? 'graph-token-A' : 'graph-token-B');
    }
    expect(endpoint.exchanges().map((request) => request.form.get('assertion')).sort()).toEqual([TOKEN_A, TOKEN_B]);
  });

  it('maps a rejected caller token to UNAUTHENTICATED', async () => {
    const { endpoint, harness } = await start(() => ({ error: 'invalid_grant' }));

    const result = await harness.graphql(ADD, vars());

    expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.body.errors?.[0]?.message).toContain('invalid_grant');
    expect(endpoint.exchanges()).toHaveLength(1);
    expect(harness.fake.calls).toHaveLength(0);
  });
});
