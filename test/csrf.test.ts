import { afterEach, describe, expect, it } from 'vitest';
import { ADD, startHarness, TOKEN_A, vars, type Harness } from './helpers.js';

const MODES = [
  ['passthrough', { GRAPH_AUTH: 'passthrough' }],
  ['static', { GRAPH_AUTH: 'static', GRAPH_TOKEN: 'static-token' }],
] as const;

describe.each(MODES)('cross-site requests in %s mode', (_mode, env) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function send(init: RequestInit, search = ''): Promise<Response> {
    harness ??= await startHarness({ env: { ...env } });
    const headers = new Headers(init.headers);
    if (env.GRAPH_AUTH === 'passthrough') headers.set('authorization', `Bearer ${TOKEN_A}`);
    return harness.gateway.yoga.fetch(`http://gateway.test/graphql${search}`, { ...init, headers });
  }

  const json = JSON.stringify({ query: ADD, variables: vars() });

  it.each([
    ['text/plain', json],
    ['application/x-www-form-urlencoded', new URLSearchParams({ query: ADD, variables: JSON.stringify(vars()) }).toString()],
  ])('rejects a %s POST', async (contentType, body) => {
    const response = await send({ method: 'POST', headers: { 'content-type': contentType }, body });

    expect(response.status).toBe(415);
    expect((await response.json()).errors[0].message).toContain('Content-Type: application/json');
    expect(harness!.fake.calls).toHaveLength(0);
  });

  it('rejects a multipart POST', async () => {
    const form = new FormData();
    form.set('operations', json);
    form.set('map', '{}');

    const response = await send({ method: 'POST', body: form });

    expect(response.status).toBe(415);
    expect(harness!.fake.calls).toHaveLength(0);
  });

  it('rejects a mutation over GET with 405', async () => {
    const search = `?${new URLSearchParams({ query: ADD, variables: JSON.stringify(vars()) })}`;

    const response = await send({ method: 'GET', headers: { accept: 'application/json' } }, search);

    expect(response.status).toBe(405);
    expect(harness!.fake.calls).toHaveLength(0);
  });

  it('runs a JSON POST', async () => {
    const response = await send({ method: 'POST', headers: { 'content-type': 'application/json' }, body: json });

    expect(response.status).toBe(200);
    expect((await response.json()).data.addThread.__typename).toBe('AddThreadSuccess');
    expect(harness!.fake.httpCalls('POST')).toHaveLength(1);
  });
});
