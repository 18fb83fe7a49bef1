import { afterEach, describe, expect, it } from 'vitest';
import { CONVERSATION_ID, GROUP_ID, startHarness, type Harness } from './helpers.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const THREAD = 'query($groupId: ID!, $id: ID!) { thread(groupId: $groupId, id: $id) { id groupId topic isLocked toRecipients { emailAddress { address } } } }';
const THREADS = /* GraphQL */ `
  query($groupId: ID!, $conversationId: ID, $first: Int, $after: String) {
    threads(groupId: $groupId, conversationId: $conversationId, first: $first, after: $after) {
      edges { cursor node { id topic conversationId } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

function seedThreads(h: Harness, count: number): string[] {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const thread = h.fake.store.addThread(GROUP_ID, CONVERSATION_ID, { topic: `Topic ${index}`, posts: [] }, 'seed');
    ids.push(thread.id);
  }
  return ids.reverse();
}

describe('thread query', () => {
  it('returns a thread with its recipients from one read', async () => {
    harness = await startHarness();
    const thread = harness.fake.store.addThread(
      GROUP_ID,
      CONVERSATION_ID,
      { topic: 'Hello', toRecipients: [{ emailAddress: { address: 'to@example.com' } }], posts: [] },
      'seed',
    );

    const { body } = await harness.graphql(THREAD, { groupId: GROUP_ID, id: thread.id });

    expect(body.errors).toBeUndefined();
    expect(body.data!.thread).toEqual({ id: thread.id, groupId: GROUP_ID, topic: 'Hello', isLocked: false, toRecipients: [{ emailAddress: { address: 'to@example.com' } }] });
    expect(harness.fake.calls).toHaveLength(1);
  });

  it('returns null without an error for an unknown thread', async () => {
    harness = await startHarness();

    const { body } = await harness.graphql(THREAD, { groupId: GROUP_ID, id: 'AAQkUnknownThread==' });

    expect(body.errors).toBeUndefined();
    expect(body.data!.thread).toBeNull();
  });

  it('reports other Graph errors at the field path', async () => {
    harness = await startHarness();
    harness.fake.faults.add({ method: 'GET', status: 403, code: 'ErrorAccessDenied' });

    const { body } = await harness.graphql(`{ a: thread(groupId: "${GROUP_ID}", id: "AAQkOne==") { id } b: __typename }`);

    expect(body.data).toEqual({ a: null, b: 'Query' });
    expect(body.errors![0]).toMatchObject({
      path: ['a'],
      extensions: { code: 'GRAPH_ERROR', graphCode: 'ErrorAccessDenied', status: 403, requestId: expect.any(String), clientRequestId: expect.any(String) },
    });
  });

  it('reports a Graph 401 as UNAUTHENTICATED', async () => {
    harness = await startHarness();
    harness.fake.faults.add({ method: 'GET', status: 401, body: 'empty' });

    const { body } = await harness.graphql(THREAD, { groupId: GROUP_ID, id: 'AAQkOne==' });

    expect(body.errors![0]).toMatchObject({ path: ['thread'], extensions: { code: 'UNAUTHENTICATED' } });
  });

  it.each([
    ['../../me', 'AAQkOne=='],
    [GROUP_ID, 'AAQk/../me'],
    [GROUP_ID, 'AAQk\u0000'],
  ])('rejects groupId %j id %j without a request', async (groupId, id) => {
    harness = await startHarness();

    const { body } = await harness.graphql(THREAD, { groupId, id });

    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(harness.fake.calls).toHaveLength(0);
  });
});

describe('threads query', () => {
  it('pages through Graph pages with opaque cursors', async () => {
    harness = await startHarness({ fake: { defaultPageSize: 3 } });
    const ids = seedThreads(harness, 7);
    const seen: string[] = [];
    let after: string | null = null;

    for (let page = 0; page < 5; page += 1) {
      const { body } = await harness.graphql(THREADS, { groupId: GROUP_ID, conversationId: CONVERSATION_ID, first: 3, after });
      expect(body.errors).toBeUndefined();
      const connection = body.data!.threads;
      seen.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      for (const edge of connection.edges) {
        expect(Buffer.from(edge.cursor, 'base64url').toString('utf8')).not.toMatch(/http|\/v1\.0|127\.0\.0\.1/);
        expect(edge.node.conversationId).toBe(CONVERSATION_ID);
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }

    expect(seen).toEqual(ids);
  });

  it('continues from any edge cursor, not only the end cursor', async () => {
    harness = await startHarness();
    const ids = seedThreads(harness, 6);

    const first = await harness.graphql(THREADS, { groupId: GROUP_ID, conversationId: CONVERSATION_ID, first: 4 });
    const second = await harness.graphql(THREADS, {
      groupId: GROUP_ID,
      conversationId: CONVERSATION_ID,
      first: 2,
      after: first.body.data!.threads.edges[1].cursor,
    });

    expect(second.body.data!.threads.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(ids.slice(2, 4));
    expect(second.body.data!.threads.pageInfo.hasNextPage).toBe(true);
  });

  it('refuses a cursor of another list', async () => {
    harness = await startHarness();
    seedThreads(harness, 3);
    const conversationPage = await harness.graphql(THREADS, { groupId: GROUP_ID, conversationId: CONVERSATION_ID, first: 1 });
    const cursor = conversationPage.body.data!.threads.pageInfo.endCursor;
    const callsBefore = harness.fake.calls.length;

    const { body } = await harness.graphql(THREADS, { groupId: GROUP_ID, first: 1, after: cursor });

    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(body.errors![0]!.message).toContain('another list');
    expect(harness.fake.calls).toHaveLength(callsBefore);
  });

  it('lists every thread of a group without a conversation', async () => {
    harness = await startHarness();
    seedThreads(harness, 2);

    const { body } = await harness.graphql(THREADS, { groupId: GROUP_ID });

    expect(body.data!.threads.edges).toHaveLength(2);
    expect(body.data!.threads.edges[0].node.conversationId).toBeNull();
    expect(body.data!.threads.pageInfo).toEqual({ hasNextPage: false, endCursor: body.data!.threads.edges[1].cursor });
  });

  it.each([
    [{ first: 0 }, 'first'],
    [{ first: 51 }, 'first'],
    [{ after: 'not-a-cursor' }, 'cursor'],
    [{ after: Buffer.from('{"v":1,"page":{"next":"https://example.com"},"offset":0}').toString('base64url') }, 'cursor'],
  ])('rejects %j with a clear error and no request', async (args, word) => {
    harness = await startHarness();

    const { body } = await harness.graphql(THREADS, { groupId: GROUP_ID, ...args });

    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(body.errors![0]!.message).toContain(word);
    expect(harness.fake.calls).toHaveLength(0);
  });
});

describe('request errors', () => {
  it.each([
    ['a missing variable', 'mutation($input: AddThreadInput!) { addThread(input: $input) { __typename } }', undefined],
    ['a missing input field', 'mutation($input: AddThreadInput!) { addThread(input: $input) { __typename } }', { input: { groupId: GROUP_ID } }],
    ['a variable of the wrong type', 'query($f: Int) { threads(groupId: "' + GROUP_ID + '", first: $f) { pageInfo { hasNextPage } } }', { f: 'abc' }],
  ])('give %s the code BAD_USER_INPUT', async (_name, query, variables) => {
    harness = await startHarness();

    const { body } = await harness.graphql(query, variables as Record<string, unknown> | undefined);

    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(harness.fake.calls).toHaveLength(0);
  });

  it.each([
    ['an unknown field', '{ thread(groupId: "x", id: "y") { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a syntax error', 'query Broken {', 'GRAPHQL_PARSE_FAILED'],
  ])('keep Yoga codes for %s', async (_name, query, code) => {
    harness = await startHarness();

    const { body } = await harness.graphql(query);

    expect(body.errors![0]!.extensions).toMatchObject({ code });
  });
});
