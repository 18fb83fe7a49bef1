import { getIntrospectionQuery } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { ADD, startHarness, vars, type Harness } from './helpers.js';

describe('production defaults', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function graphiqlStatus(): Promise<number> {
    const response = await harness!.gateway.yoga.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    return response.status;
  }

  it('turns introspection and GraphiQL off in production', async () => {
    harness = await startHarness({ env: { NODE_ENV: 'production' } });

    const result = await harness.graphql(getIntrospectionQuery());

    expect(result.body.errors?.[0]?.message).toContain('introspection');
    expect(await graphiqlStatus()).not.toBe(200);
  });

  it('turns them on in production when enabled', async () => {
    harness = await startHarness({ env: { NODE_ENV: 'production', INTROSPECTION: 'true', GRAPHIQL: 'true' } });

    const result = await harness.graphql(getIntrospectionQuery());

    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.__schema).toBeDefined();
    expect(await graphiqlStatus()).toBe(200);
  });

  it('keeps both on outside production', async () => {
    harness = await startHarness();

    const result = await harness.graphql(getIntrospectionQuery());

    expect(result.body.errors).toBeUndefined();
    expect(await graphiqlStatus()).toBe(200);
  });

  it('masks an unexpected error in production', async () => {
    harness = await startHarness({
      env: { NODE_ENV: 'production' },
      inject: {
        credentials: async () => {
          throw new TypeError('Cannot read properties of undefined (reading "secret-detail")');
        },
      },
    });

    const result = await harness.graphql(ADD, vars());
    const error = result.body.errors?.[0];

    expect(error?.message).toBe('Unexpected error.');
    expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(result.body)).not.toContain('secret-detail');
    expect(JSON.stringify(result.body)).not.toContain('stack');
    expect(harness.fake.calls).toHaveLength(0);
  });

  it('keeps coded errors readable in production', async () => {
    harness = await startHarness({ env: { NODE_ENV: 'production', GRAPH_TIMEOUT_MS: '300' }, realSleep: true });
    harness.fake.faults.add({ method: 'POST', status: 401 }, { method: 'POST', delayMs: 2_000 });

    const unauthenticated = await harness.graphql(ADD, vars());
    const timeout = await harness.graphql(ADD, vars());

    expect(unauthenticated.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(unauthenticated.body.errors?.[0]?.message).not.toBe('Unexpected error.');
    expect(timeout.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(timeout.body.errors?.[0]?.extensions?.outcomeUnknown).toBe(true);
  });
});

describe('CORS', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function preflight(origin: string): Promise<Response> {
    return harness!.gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
  }

  it('allows no cross-origin access by default', async () => {
    harness = await startHarness();

    const response = await preflight('https://app.example.com');

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows only the configured origins', async () => {
    harness = await startHarness({ env: { CORS_ORIGINS: 'https://app.example.com,https://admin.example.com' } });

    const allowed = await preflight('https://app.example.com');
    const other = await preflight('https://evil.example.net');

    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.net');
  });
});
