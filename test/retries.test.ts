import { afterEach, describe, expect, it } from 'vitest';
import { ADD, GROUP_ID, CONVERSATION_ID, startHarness, vars, type Harness } from './helpers.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(budgetMs = 10_000): Promise<Harness> {
  harness = await startHarness({ env: { GRAPH_RETRY_BUDGET_MS: String(budgetMs) } });
  return harness;
}

describe('create retries', () => {
  it.each([
    ['2', 2000],
    ['1.5', 1500],
  ])('replays a create after a 429 with Retry-After %s', async (retryAfter, waitMs) => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 429, code: 'TooManyRequests', retryAfter });

    const { body } = await h.graphql(ADD, vars());

    expect(body.data!.addThread.__typename).toBe('AddThreadSuccess');
    expect(h.fake.httpCalls('POST')).toHaveLength(2);
    expect(h.sleeps).toEqual([waitMs]);
    expect(h.fake.store.listThreads(GROUP_ID)).toHaveLength(1);
  });

  it('waits until an HTTP-date Retry-After', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 429, code: 'ApplicationThrottled', retryAfter: new Date(Date.now() + 3_000).toUTCString() });

    const { body } = await h.graphql(ADD, vars());

    expect(body.data!.addThread.__typename).toBe('AddThreadSuccess');
    expect(h.sleeps).toHaveLength(1);
    expect(h.sleeps[0]).toBeGreaterThan(1_000);
    expect(h.sleeps[0]).toBeLessThanOrEqual(3_000);
  });

  it('replays the same request byte for byte', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 429, retryAfter: '1' });

    await h.graphql(ADD, vars(), { authorization: 'Bearer token-A', 'client-request-id': '7f0c2b3e-0000-4000-8000-000000000002' });

    const [first, second] = h.fake.httpCalls('POST');
    expect(second!.target).toBe(first!.target);
    expect(second!.body).toBe(first!.body);
    expect(second!.headers).toEqual(first!.headers);
    expect(second!.headers['client-request-id']).toBe('7f0c2b3e-0000-4000-8000-000000000002');
  });

  it('logs each retry at warn with Graph request id', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 429, retryAfter: '1' });

    await h.graphql(ADD, vars());

    const retries = h.logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'Retrying Microsoft Graph call');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ level: 40, operation: 'createThread', reason: '429', delayMs: 1000, requestId: expect.any(String) });
    expect(JSON.stringify(retries[0])).not.toContain('token-A');
  });

  it.each([
    ['120', 120],
    ['30.5', 30.5],
  ])('returns a 429 at once when Retry-After %s exceeds the budget', async (retryAfter, seconds) => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 429, code: 'TooManyRequests', retryAfter, times: Infinity });

    const { body } = await h.graphql(ADD, vars());

    expect(body.data!.addThread).toMatchObject({ __typename: 'GraphError', code: 'TooManyRequests', status: 429, retryAfterSeconds: seconds, outcomeUnknown: false });
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it('retries while the budget allows, then returns the last 429', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 429, retryAfter: '3', times: Infinity });

    const { body } = await h.graphql(ADD, vars());

    expect(body.data!.addThread).toMatchObject({ __typename: 'GraphError', status: 429, retryAfterSeconds: 3 });
    expect(h.sleeps).toEqual([3000, 3000, 3000]);
    expect(h.fake.httpCalls('POST')).toHaveLength(4);
  });

  it.each([503, 504])('never replays a create answered %i', async (status) => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status, retryAfter: '1', afterCommit: status === 504 });

    const { body } = await h.graphql(ADD, vars());

    expect(body.data!.addThread).toMatchObject({ __typename: 'GraphError', status, outcomeUnknown: true });
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });
});

describe('read retries', () => {
  it('retries a thread read answered 503 after its Retry-After', async () => {
    const h = await start();
    const thread = h.fake.store.addThread(GROUP_ID, CONVERSATION_ID, { topic: 'Read me', posts: [] }, 'seed');
    h.fake.faults.add({ method: 'GET', status: 503, retryAfter: '1' });

    const { body } = await h.graphql(`{ thread(groupId: "${GROUP_ID}", id: "${thread.id}") { topic } }`);

    expect(body.errors).toBeUndefined();
    expect(body.data!.thread.topic).toBe('Read me');
    expect(h.fake.httpCalls('GET')).toHaveLength(2);
    expect(h.sleeps).toEqual([1000]);
  });
});

describe('mailbox concurrency', () => {
  it('runs at most four calls per group and queues the fifth', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', delayMs: 150, times: 6 });

    const results = await Promise.all(Array.from({ length: 6 }, () => h.graphql(ADD, vars())));

    expect(results.map((result) => result.body.data!.addThread.__typename)).toEqual(Array(6).fill('AddThreadSuccess'));
    expect(h.fake.maxConcurrent('/threads')).toBe(4);
  });

  it('rejects calls beyond the queue limit with MAILBOX_BUSY and sends nothing for them', async () => {
    harness = await startHarness({ env: { GRAPH_MAILBOX_QUEUE_LIMIT: '1' } });
    const h = harness;
    h.fake.faults.add({ method: 'POST', delayMs: 150, times: 6 });

    const results = await Promise.all(Array.from({ length: 7 }, () => h.graphql(ADD, vars())));

    const busy = results.filter((result) => result.body.errors?.[0]?.extensions?.code === 'MAILBOX_BUSY');
    expect(busy).toHaveLength(2);
    expect(busy[0]!.body.errors![0]!.extensions).toMatchObject({ outcomeUnknown: false });
    expect(h.fake.httpCalls('POST')).toHaveLength(5);
  });
});
