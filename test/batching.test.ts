import { afterEach, describe, expect, it } from 'vitest';
import { json } from '../src/fake-graph/http.js';
import { GROUP_ID, startHarness, TOKEN_A, TOKEN_B, type Harness, type HarnessOptions } from './helpers.js';
import {
  answerBatch,
  batchCalls,
  permute,
  seedThreads,
  shuffled,
  singleThreadGets,
  subRequestsOf,
  threadIdOf,
  unknownThreadId,
} from './thread-fixtures.js';

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on ConversationThread { id groupId topic } }
  }
`;

/** Build a query with one aliased `thread` field per id: t1, t2, … */
function aliasedThreads(ids: string[]): string {
  const fields = ids.map((id, index) => `t${index + 1}: thread(groupId: "${GROUP_ID}", id: "${id}") { id topic }`);
  return `{ ${fields.join('\n')} }`;
}

function representations(ids: string[]) {
  return ids.map((id) => ({ __typename: 'ConversationThread', groupId: GROUP_ID, id }));
}

describe('batched thread reads', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function start(options: HarnessOptions = {}): Promise<Harness> {
    harness = await startHarness(options);
    return harness;
  }

  it('sends five aliased fields as one $batch', async () => {
    const { fake, graphql } = await start();
    const ids = seedThreads(fake, 5);

    const { body } = await graphql(aliasedThreads(ids));

    expect(body.errors).toBeUndefined();
    ids.forEach((id, index) => expect(body.data![`t${index + 1}`]).toEqual({ id, topic: `Topic ${index + 1}` }));
    const batches = batchCalls(fake);
    expect(batches).toHaveLength(1);
    expect(subRequestsOf(batches[0]!).map((sub) => [sub.method, threadIdOf(sub.url)])).toEqual(ids.map((id) => ['GET', id]));
    expect(singleThreadGets(fake)).toHaveLength(0);
  });

  it('selects recipients in every sub-request', async () => {
    const { fake, graphql } = await start();
    const ids = seedThreads(fake, 2);

    await graphql(aliasedThreads(ids));

    for (const sub of subRequestsOf(batchCalls(fake)[0]!)) {
      const select = new URLSearchParams(sub.url.split('?')[1]).get('$select')!.split(',');
      expect(select).toContain('toRecipients');
      expect(select).toContain('ccRecipients');
    }
  });

  it('matches shuffled sub-responses by id', async () => {
    const { fake, graphql } = await start();
    const ids = seedThreads(fake, 5);
    fake.faults.add({ path: '/$batch', respond: answerBatch(fake, (responses) => permute(responses, [3, 1, 5, 2, 4])) });

    const { body } = await graphql(aliasedThreads(ids));

    expect(body.errors).toBeUndefined();
    ids.forEach((id, index) => expect(body.data![`t${index + 1}`]).toEqual({ id, topic: `Topic ${index + 1}` }));
    expect(batchCalls(fake)).toHaveLength(1);
  });

  it('reads 25 threads with a repeated alias in two batches', async () => {
    const { fake, graphql } = await start();
    const ids = seedThreads(fake, 25);

    const { body } = await graphql(aliasedThreads([...ids, ids[7]!]));

    expect(body.errors).toBeUndefined();
    expect(body.data!.t26).toEqual(body.data!.t8);
    const batches = batchCalls(fake);
    expect(batches.map((call) => subRequestsOf(call).length)).toEqual([20, 5]);
    const sent = batches.flatMap((call) => subRequestsOf(call).map((sub) => threadIdOf(sub.url)));
    expect(new Set(sent).size).toBe(25);
    expect(singleThreadGets(fake)).toHaveLength(0);
  });

  it('fails only the item whose sub-response id was never sent', async () => {
    const { fake, graphql } = await start();
    const ids = seedThreads(fake, 5);
    // The response for sub-request 3 carries an id that the gateway never sent.
    fake.faults.add({
      path: '/$batch',
      respond: answerBatch(fake, (responses) => responses.map((response) => (response.id === '3' ? { ...response, id: '99' } : response))),
    });

    const { body } = await graphql(aliasedThreads(ids));

    expect(body.data!.t3).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.path).toEqual(['t3']);
    expect(body.errors![0]!.extensions!.code).toBe('UPSTREAM_BAD_RESPONSE');
    for (const index of [1, 2, 4, 5]) expect(body.data![`t${index}`]).toEqual({ id: ids[index - 1], topic: `Topic ${index}` });
  });

  it('resolves 50 shuffled representations in their order', async () => {
    const { fake, graphql } = await start();
    const known = seedThreads(fake, 45);
    const unknown = [1, 2, 3, 4, 5].map(unknownThreadId);
    const order = shuffled([...known, ...unknown], 7);

    const { body } = await graphql(ENTITIES, { representations: representations(order) });

    const entities = body.data!._entities as Array<{ id: string; groupId: string; topic: string } | null>;
    expect(entities).toHaveLength(50);
    order.forEach((id, index) => {
      if (unknown.includes(id)) {
        expect(entities[index]).toBeNull();
        return;
      }
      expect(entities[index]).toEqual({ id, groupId: GROUP_ID, topic: `Topic ${known.indexOf(id) + 1}` });
    });
    const unknownPositions = order.flatMap((id, index) => (unknown.includes(id) ? [index] : []));
    const errorPaths = body.errors!.map((error) => error.path);
    expect(errorPaths).toHaveLength(5);
    expect(errorPaths).toEqual(expect.arrayContaining(unknownPositions.map((index) => ['_entities', index])));
    for (const error of body.errors!) expect(error.extensions!.graphCode).toBe('ErrorItemNotFound');
    expect(batchCalls(fake).length).toBeLessThanOrEqual(3);
    expect(batchCalls(fake).flatMap(subRequestsOf)).toHaveLength(50);
    expect(singleThreadGets(fake)).toHaveLength(0);
  });
});

describe('failed items in a batch', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('returns null without an error for a 404 item', async () => {
    harness = await startHarness();
    const ids = seedThreads(harness.fake, 3);
    harness.fake.faults.add({ inBatch: true, path: encodeURIComponent(ids[1]!), status: 404 });

    const { body } = await harness.graphql(aliasedThreads(ids));

    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ t1: { id: ids[0], topic: 'Topic 1' }, t2: null, t3: { id: ids[2], topic: 'Topic 3' } });
  });

  it('gives a 404 entity its own error', async () => {
    harness = await startHarness();
    const ids = seedThreads(harness.fake, 3);
    harness.fake.faults.add({ inBatch: true, path: encodeURIComponent(ids[1]!), status: 404 });

    const { body } = await harness.graphql(ENTITIES, { representations: representations(ids) });

    expect(body.data!._entities).toEqual([
      { id: ids[0], groupId: GROUP_ID, topic: 'Topic 1' },
      null,
      { id: ids[2], groupId: GROUP_ID, topic: 'Topic 3' },
    ]);
    expect(body.errors!.map((error) => error.path)).toEqual([['_entities', 1]]);
  });

  it('keeps siblings of a 403 item', async () => {
    harness = await startHarness();
    const ids = seedThreads(harness.fake, 3);
    harness.fake.faults.add({ inBatch: true, path: encodeURIComponent(ids[1]!), status: 403, times: 2 });

    const fields = await harness.graphql(aliasedThreads(ids));
    const entities = await harness.graphql(ENTITIES, { representations: representations(ids) });

    expect(fields.body.data).toEqual({ t1: { id: ids[0], topic: 'Topic 1' }, t2: null, t3: { id: ids[2], topic: 'Topic 3' } });
    expect(fields.body.errors).toHaveLength(1);
    expect(fields.body.errors![0]!.path).toEqual(['t2']);
    expect(fields.body.errors![0]!.extensions).toMatchObject({ code: 'GRAPH_ERROR', graphCode: 'ErrorAccessDenied', status: 403 });
    expect(entities.body.data!._entities[1]).toBeNull();
    expect(entities.body.data!._entities[2]).toEqual({ id: ids[2], groupId: GROUP_ID, topic: 'Topic 3' });
    expect(entities.body.errors!.map((error) => error.path)).toEqual([['_entities', 1]]);
    expect(entities.body.errors![0]!.extensions!.graphCode).toBe('ErrorAccessDenied');
  });

  it('retries only a throttled item after its Retry-After', async () => {
    harness = await startHarness();
    const ids = seedThreads(harness.fake, 3);
    harness.fake.faults.add({ inBatch: true, path: encodeURIComponent(ids[1]!), status: 429, retryAfter: '1' });

    const { body } = await harness.graphql(aliasedThreads(ids));

    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      t1: { id: ids[0], topic: 'Topic 1' },
      t2: { id: ids[1], topic: 'Topic 2' },
      t3: { id: ids[2], topic: 'Topic 3' },
    });
    expect(harness.sleeps).toEqual([1000]);
    const batches = batchCalls(harness.fake);
    expect(batches).toHaveLength(2);
    expect(subRequestsOf(batches[0]!)).toHaveLength(3);
    expect(subRequestsOf(batches[1]!).map((sub) => threadIdOf(sub.url))).toEqual([ids[1]]);
    expect(singleThreadGets(harness.fake)).toHaveLength(0);
  });

  it('waits for the largest Retry-After of the throttled items', async () => {
    harness = await startHarness();
    const ids = seedThreads(harness.fake, 4);
    harness.fake.faults.add(
      { inBatch: true, path: encodeURIComponent(ids[0]!), status: 429, retryAfter: '1' },
      { inBatch: true, path: encodeURIComponent(ids[2]!), status: 429, retryAfter: '2.5' },
    );

    const { body } = await harness.graphql(aliasedThreads(ids));

    expect(body.errors).toBeUndefined();
    expect(harness.sleeps).toEqual([2500]);
    const retried = subRequestsOf(batchCalls(harness.fake)[1]!).map((sub) => threadIdOf(sub.url));
    expect(retried.sort()).toEqual([ids[0], ids[2]].sort());
  });

  it('returns the 429 when its wait exceeds the retry budget', async () => {
    harness = await startHarness({ env: { GRAPH_RETRY_BUDGET_MS: '500' } });
    const ids = seedThreads(harness.fake, 3);
    harness.fake.faults.add({ inBatch: true, path: encodeURIComponent(ids[1]!), status: 429, retryAfter: '1' });

    const { body } = await harness.graphql(aliasedThreads(ids));

    expect(harness.sleeps).toEqual([]);
    expect(batchCalls(harness.fake)).toHaveLength(1);
    expect(body.data!.t2).toBeNull();
    expect(body.data!.t3).toEqual({ id: ids[2], topic: 'Topic 3' });
    expect(body.errors![0]!.path).toEqual(['t2']);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'GRAPH_ERROR', status: 429, retryAfterSeconds: 1 });
  });

  it('stops retrying a 503 item after three retries', async () => {
    harness = await startHarness();
    const ids = seedThreads(harness.fake, 2);
    harness.fake.faults.add({ inBatch: true, path: encodeURIComponent(ids[0]!), status: 503, times: 10 });

    const { body } = await harness.graphql(aliasedThreads(ids));

    expect(harness.sleeps).toEqual([500, 1000, 2000]);
    expect(batchCalls(harness.fake)).toHaveLength(4);
    expect(body.data!.t1).toBeNull();
    expect(body.data!.t2).toEqual({ id: ids[1], topic: 'Topic 2' });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'GRAPH_ERROR', status: 503 });
  });
});

describe('loaders per request', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('never shares reads between two callers', async () => {
    harness = await startHarness();
    const ids = seedThreads(harness.fake, 2);
    // The fake returns each sub-request a topic that names the token that the sub-request carried.
    harness.fake.faults.add({
      inBatch: true,
      times: 4,
      respond: (request) => {
        const token = request.headers.authorization!.replace(/^Bearer /, '');
        return json(request, 200, { id: threadIdOf(request.target), topic: `Topic for ${token}` });
      },
    });
    const query = aliasedThreads(ids);

    const [first, second] = await Promise.all([
      harness.graphql(query, undefined, { authorization: `Bearer ${TOKEN_A}` }),
      harness.graphql(query, undefined, { authorization: `Bearer ${TOKEN_B}` }),
    ]);

    expect(first.body.data).toEqual({ t1: { id: ids[0], topic: `Topic for ${TOKEN_A}` }, t2: { id: ids[1], topic: `Topic for ${TOKEN_A}` } });
    expect(second.body.data).toEqual({ t1: { id: ids[0], topic: `Topic for ${TOKEN_B}` }, t2: { id: ids[1], topic: `Topic for ${TOKEN_B}` } });
    expect(JSON.stringify(second.body)).not.toContain(TOKEN_A);
    const batches = batchCalls(harness.fake);
    expect(batches.map((call) => call.token).sort()).toEqual([TOKEN_A, TOKEN_B]);
    for (const call of batches) expect(subRequestsOf(call)).toHaveLength(2);
    const subCalls = harness.fake.calls.filter((call) => call.inBatch);
    expect(subCalls.filter((call) => call.token === TOKEN_A)).toHaveLength(2);
    expect(subCalls.filter((call) => call.token === TOKEN_B)).toHaveLength(2);
  });
});
