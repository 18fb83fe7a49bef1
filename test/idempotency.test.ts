import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { RedisIdempotencyStore } from '../src/idempotency/redis-store.js';
import { ADD, captureLogger, GROUP_ID, startHarness, TOKEN_A, TOKEN_B, vars, type Harness } from './helpers.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness();
  return harness;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('idempotency keys', () => {
  it('returns the first thread for a repeat without a second POST', async () => {
    const h = await start();
    const input = vars({ idempotencyKey: 'key-1' });

    const first = await h.graphql(ADD, input);
    const second = await h.graphql(ADD, input);

    expect(second.body.data!.addThread).toEqual(first.body.data!.addThread);
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
  });

  it('rejects the key with a different input and sends nothing', async () => {
    const h = await start();
    await h.graphql(ADD, vars({ idempotencyKey: 'key-1' }));

    const { body } = await h.graphql(ADD, vars({ idempotencyKey: 'key-1', topic: 'Another topic' }));

    expect(body.data).toEqual({ addThread: null });
    expect(body.errors![0]).toMatchObject({ path: ['addThread'], extensions: { code: 'IDEMPOTENCY_CONFLICT' } });
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
  });

  it('scopes keys to the caller credential', async () => {
    const h = await start();
    const input = vars({ idempotencyKey: 'key-1' });

    const a = await h.graphql(ADD, input, bearer(TOKEN_A));
    const b = await h.graphql(ADD, input, bearer(TOKEN_B));

    expect(h.fake.httpCalls('POST')).toHaveLength(2);
    expect(a.body.data!.addThread.thread.id).not.toBe(b.body.data!.addThread.thread.id);
    const tokens = h.fake.store.listThreads(GROUP_ID).map((thread) => thread.createdWithToken).sort();
    expect(tokens).toEqual([TOKEN_A, TOKEN_B]);
  });

  it('makes a concurrent repeat wait for the first request', async () => {
    // Real waits: the repeat polls while the first request really runs.
    harness = await startHarness({ realSleep: true });
    const h = harness;
    h.fake.faults.add({ method: 'POST', delayMs: 200 });
    const input = vars({ idempotencyKey: 'key-1' });

    const [first, second] = await Promise.all([h.graphql(ADD, input), h.graphql(ADD, input)]);

    expect(h.fake.httpCalls('POST')).toHaveLength(1);
    expect(first.body.data!.addThread.thread.id).toBe(second.body.data!.addThread.thread.id);
  });

  it('finds the thread of a 504 after commit instead of creating another', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 504, afterCommit: true });
    const input = vars({ idempotencyKey: 'key-504' });

    const first = await h.graphql(ADD, input);
    const retry = await h.graphql(ADD, input);

    expect(first.body.data!.addThread).toMatchObject({ __typename: 'GraphError', status: 504, outcomeUnknown: true });
    expect(retry.body.data!.addThread.__typename).toBe('AddThreadSuccess');
    const stored = h.fake.store.listThreads(GROUP_ID);
    expect(stored).toHaveLength(1);
    expect(retry.body.data!.addThread.thread.id).toBe(stored[0]!.id);
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
  });

  it('creates again when a failed create with unknown outcome made nothing', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 503 });
    const input = vars({ idempotencyKey: 'key-503' });

    const first = await h.graphql(ADD, input);
    const retry = await h.graphql(ADD, input);

    expect(first.body.data!.addThread).toMatchObject({ status: 503, outcomeUnknown: true });
    expect(retry.body.data!.addThread.__typename).toBe('AddThreadSuccess');
    expect(h.fake.store.listThreads(GROUP_ID)).toHaveLength(1);
    expect(h.fake.httpCalls('POST')).toHaveLength(2);
    // It waited for Graph to settle before deciding that nothing had been created.
    expect(h.sleeps.length).toBeGreaterThan(0);
  });

  it('frees the key after a certain failure so a retry reaches Graph', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 401 });
    const input = vars({ idempotencyKey: 'key-401' });

    const first = await h.graphql(ADD, input);
    const retry = await h.graphql(ADD, input);

    expect(first.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(retry.body.data!.addThread.__typename).toBe('AddThreadSuccess');
    expect(h.fake.httpCalls('POST')).toHaveLength(2);
  });
});

describe('cancellation', () => {
  it('aborts the upstream call when the client goes away', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', transport: 'stall' });
    const { serveGateway } = await import('./helpers.js');
    const server = await serveGateway(h.gateway);
    try {
      const controller = new AbortController();
      const pending = fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer token-A' },
        body: JSON.stringify({ query: ADD, variables: vars() }),
        signal: controller.signal,
      }).catch(() => 'aborted');

      await expect.poll(() => h.fake.httpCalls('POST').length, { timeout: 2_000 }).toBe(1);
      controller.abort();

      expect(await pending).toBe('aborted');
      await expect.poll(() => h.fake.openConnections(), { timeout: 3_000 }).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(process.env.REDIS_URL === undefined)('idempotency across replicas with Redis', () => {
  it('creates one thread for one key sent to two gateways at once', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', delayMs: 200 });
    const config = loadConfig({ GRAPH_BASE_URL: h.config.graphBaseUrl!.href, REDIS_URL: process.env.REDIS_URL! });
    const replicas = [0, 1].map(() => createGateway({ config, logger: captureLogger().logger, sleep: async () => new Promise((resolve) => setTimeout(resolve, 10)) }));
    const input = vars({ idempotencyKey: `replica-key-${randomUUID()}` });
    try {
      const send = (index: number) =>
        Promise.resolve(replicas[index]!.yoga.fetch('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer token-A' },
          body: JSON.stringify({ query: ADD, variables: input }),
        })).then((response) => response.json() as Promise<{ data: { addThread: { thread: { id: string } } } }>);

      const [first, second] = await Promise.all([send(0), send(1)]);
      const conflict = await send(1).then(() =>
        Promise.resolve(replicas[0]!.yoga.fetch('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer token-A' },
          body: JSON.stringify({ query: ADD, variables: { input: { ...input.input, topic: 'Changed' } } }),
        })).then((response) => response.json() as Promise<{ errors: Array<{ extensions: { code: string } }> }>),
      );

      expect(h.fake.httpCalls('POST')).toHaveLength(1);
      expect(first.data.addThread.thread.id).toBe(second.data.addThread.thread.id);
      expect(conflict.errors[0]!.extensions.code).toBe('IDEMPOTENCY_CONFLICT');
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it('never shows one caller the record of another', async () => {
    const store = new RedisIdempotencyStore(process.env.REDIS_URL!);
    harness = await startHarness({ inject: { idempotencyStore: store } });
    const key = `shared-key-${randomUUID()}`;
    try {
      const a = await harness.graphql(ADD, vars({ idempotencyKey: key }), bearer(TOKEN_A));
      const b = await harness.graphql(ADD, vars({ idempotencyKey: key }), bearer(TOKEN_B));

      expect(harness.fake.httpCalls('POST')).toHaveLength(2);
      expect(a.body.data!.addThread.thread.id).not.toBe(b.body.data!.addThread.thread.id);
    } finally {
      await store.close();
    }
  });
});
