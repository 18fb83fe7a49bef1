import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGateway, type Gateway } from '../src/gateway.js';
import { ADD, captureLogger, serveGateway, startHarness, vars, type Harness } from './helpers.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function postOverSocket(gateway: Gateway, variables: unknown) {
  const server = await serveGateway(gateway);
  try {
    const startedAt = Date.now();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer token-A' },
      body: JSON.stringify({ query: ADD, variables }),
    });
    return { elapsedMs: Date.now() - startedAt, body: (await response.json()) as { data?: any; errors?: any[] } };
  } finally {
    await server.close();
  }
}

describe('upstream deadline', () => {
  it.each([
    ['never answers', 'stall' as const],
    ['stalls in the body', 'stall-body' as const],
  ])('times out when Graph %s', async (_name, transport) => {
    harness = await startHarness({ env: { GRAPH_TIMEOUT_MS: '500' } });
    harness.fake.faults.add({ method: 'POST', transport });

    const { elapsedMs, body } = await postOverSocket(harness.gateway, vars());

    expect(body.data).toEqual({ addThread: null });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', outcomeUnknown: true });
    expect(body.errors![0]!.message).toContain('500 ms');
    expect(elapsedMs).toBeGreaterThanOrEqual(450);
    expect(elapsedMs).toBeLessThan(3000);
    expect(harness.fake.httpCalls('POST')).toHaveLength(1);
    // The gateway closed the stalled connection instead of leaving it open.
    await expect.poll(() => harness!.fake.openConnections(), { timeout: 2000 }).toBe(0);
  });

  it('answers normally when Graph is slow but within the deadline', async () => {
    harness = await startHarness({ env: { GRAPH_TIMEOUT_MS: '500' } });
    harness.fake.faults.add({ method: 'POST', delayMs: 100 });

    const { body } = await postOverSocket(harness.gateway, vars());

    expect(body.errors).toBeUndefined();
    expect(body.data!.addThread.__typename).toBe('AddThreadSuccess');
  });
});

describe('broken connections', () => {
  it('reports a cut-off 201 body as UPSTREAM_BAD_RESPONSE with one POST', async () => {
    harness = await startHarness();
    harness.fake.faults.add({ method: 'POST', transport: 'truncate' });

    const { body } = await postOverSocket(harness.gateway, vars());

    expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', outcomeUnknown: true });
    expect(harness.fake.httpCalls('POST')).toHaveLength(1);
    expect(harness.fake.store.allThreads()).toHaveLength(2);
  });

  it('reports a connection dropped after the create as UPSTREAM_UNAVAILABLE, outcome unknown', async () => {
    harness = await startHarness();
    harness.fake.faults.add({ method: 'POST', transport: 'drop', afterCommit: true });

    const { body } = await postOverSocket(harness.gateway, vars());

    expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', outcomeUnknown: true });
    expect(harness.fake.httpCalls('POST')).toHaveLength(1);
  });

  it('reports a refused connection as UPSTREAM_UNAVAILABLE that certainly created nothing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const { port } = closed.address() as import('node:net').AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const waits: number[] = [];
    const gateway = createGateway({
      config: loadConfig({ GRAPH_BASE_URL: `http://127.0.0.1:${port}/v1.0` }),
      logger: captureLogger().logger,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    try {
      const { body } = await postOverSocket(gateway, vars());

      expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', outcomeUnknown: false });
      expect(body.errors![0]!.message).not.toContain('127.0.0.1');
      // Nothing was sent, so even the create was tried again, with growing waits.
      expect(waits.length).toBeGreaterThan(1);
      expect(waits[1]!).toBeGreaterThanOrEqual(waits[0]!);
    } finally {
      await gateway.close();
    }
  });
});
