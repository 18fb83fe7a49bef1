import { afterEach, describe, expect, it } from 'vitest';
import { ADD, GROUP_ID, serveGateway, startHarness, TOKEN_A, TOKEN_B, vars, type Harness } from './helpers.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('passthrough credentials', () => {
  it('forwards the caller token unchanged', async () => {
    harness = await startHarness({ fake: { acceptToken: (token) => token === TOKEN_A } });

    const { body } = await harness.graphql(ADD, vars(), { AUTHORIZATION: `Bearer ${TOKEN_A}` });

    expect(body.data!.addThread.__typename).toBe('AddThreadSuccess');
    expect(harness.fake.calls).toHaveLength(1);
    expect(harness.fake.calls[0]!.headers.authorization).toBe(`Bearer ${TOKEN_A}`);
  });

  it('forwards the caller token over a real socket too', async () => {
    harness = await startHarness();
    const server = await serveGateway(harness.gateway);
    try {
      await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', Authorization: `Bearer ${TOKEN_B}` },
        body: JSON.stringify({ query: ADD, variables: vars() }),
      });
    } finally {
      await server.close();
    }

    expect(harness.fake.calls.map((call) => call.headers.authorization)).toEqual([`Bearer ${TOKEN_B}`]);
  });

  it.each([
    ['no header', {}],
    ['an empty bearer token', { authorization: 'Bearer ' }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('answers UNAUTHENTICATED with %s and calls nothing', async (_name, headers) => {
    harness = await startHarness({ env: { GRAPH_TOKEN: 'static-token-never-used' } });

    const { body } = await harness.graphql(ADD, vars(), headers);

    expect(body.data).toEqual({ addThread: null });
    expect(body.errors![0]).toMatchObject({ path: ['addThread'], extensions: { code: 'UNAUTHENTICATED' } });
    expect(body.errors![0]!.message).toContain('Authorization: Bearer');
    expect(harness.fake.calls).toHaveLength(0);
  });

  it('sends each request with its own caller token under concurrency', async () => {
    harness = await startHarness();
    const h = harness;

    await Promise.all(
      Array.from({ length: 20 }, (_, index) => {
        const token = index % 2 === 0 ? TOKEN_A : TOKEN_B;
        return h.graphql(ADD, vars(), { authorization: `Bearer ${token}`, 'client-request-id': `request-${index}-${token}` });
      }),
    );

    expect(h.fake.calls).toHaveLength(20);
    for (const call of h.fake.calls) {
      const token = call.headers['client-request-id']!.split('-').slice(2).join('-');
      expect(call.headers.authorization).toBe(`Bearer ${token}`);
    }
  });
});

describe('development token of the embedded fake', () => {
  it('is used only when the request has no Authorization header', async () => {
    harness = await startHarness();
    const { createGateway } = await import('../src/gateway.js');
    const { loadConfig } = await import('../src/config.js');
    const { captureLogger } = await import('./helpers.js');
    // The config of `npm start` without a tenant, pointed at this test's fake.
    const config = { ...loadConfig({}), graphBaseUrl: harness.config.graphBaseUrl };
    const gateway = createGateway({ config, logger: captureLogger().logger });
    const send = async (headers: Record<string, string>) => {
      const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: ADD, variables: vars() }),
      });
      return (await response.json()) as { data?: any; errors?: any[] };
    };
    try {
      const without = await send({});
      const malformed = await send({ authorization: 'Basic abc' });
      const empty = await send({ authorization: 'Bearer ' });

      expect(without.data.addThread.__typename).toBe('AddThreadSuccess');
      expect(malformed.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(empty.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(harness.fake.calls.map((call) => call.headers.authorization)).toEqual(['Bearer fake-graph-development-token']);
    } finally {
      await gateway.close();
    }
  });
});

describe('static credentials', () => {
  it('sends the configured token whatever the caller sent', async () => {
    harness = await startHarness({ env: { GRAPH_AUTH: 'static', GRAPH_TOKEN: 'static-token' } });

    await harness.graphql(ADD, vars(), {});
    await harness.graphql(ADD, vars(), { authorization: `Bearer ${TOKEN_A}` });

    expect(harness.fake.calls.map((call) => call.headers.authorization)).toEqual(['Bearer static-token', 'Bearer static-token']);
  });
});

describe('correlation ids', () => {
  it('sends the caller client-request-id and returns it on errors', async () => {
    harness = await startHarness();
    harness.fake.faults.add({ method: 'POST', status: 403, code: 'ErrorAccessDenied' });

    const { body } = await harness.graphql(ADD, vars(), {
      authorization: `Bearer ${TOKEN_A}`,
      'client-request-id': '7f0c2b3e-0000-4000-8000-000000000001',
    });

    expect(harness.fake.calls[0]!.headers['client-request-id']).toBe('7f0c2b3e-0000-4000-8000-000000000001');
    expect(body.data!.addThread.clientRequestId).toBe('7f0c2b3e-0000-4000-8000-000000000001');
  });

  it('forwards a valid traceparent and drops an invalid one', async () => {
    harness = await startHarness();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    await harness.graphql(ADD, vars(), { authorization: `Bearer ${TOKEN_A}`, traceparent });
    await harness.graphql(ADD, vars(), { authorization: `Bearer ${TOKEN_A}`, traceparent: 'not-a-traceparent' });

    // Same trace id and flags, with the gateway's own span id as the parent.
    expect(harness.fake.calls[0]!.headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(harness.fake.calls[0]!.headers.traceparent).not.toBe(traceparent);
    expect(harness.fake.calls[1]!.headers.traceparent).toBeUndefined();
  });

  it('sends a new UUID per request when the caller sends none', async () => {
    harness = await startHarness();

    await harness.graphql(ADD, vars());
    await harness.graphql(ADD, vars());

    const ids = harness.fake.calls.map((call) => call.headers['client-request-id']);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('never sends caller headers outside the allow-list', async () => {
    harness = await startHarness();

    await harness.graphql(ADD, vars(), {
      authorization: `Bearer ${TOKEN_A}`,
      cookie: 'session=placeholder',
      'x-custom': 'value',
      prefer: 'return=minimal',
    });

    const sent = Object.keys(harness.fake.calls[0]!.headers).sort();
    expect(sent).toEqual(['accept', 'authorization', 'client-request-id', 'connection', 'content-length', 'content-type', 'host', 'user-agent']);
    expect(harness.fake.store.listThreads(GROUP_ID)).toHaveLength(1);
  });
});
