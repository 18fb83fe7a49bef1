import { afterEach, describe, expect, it } from 'vitest';
import { GROUP_ID, startHarness, type Harness } from './helpers.js';
import { batchCalls, seedThreads, singleThreadGets, subRequestsOf, threadIdOf } from './thread-fixtures.js';

const THREADS = /* GraphQL */ `
  query Threads($groupId: ID!, $first: Int) {
    threads(groupId: $groupId, first: $first) {
      edges { node { id topic toRecipients { emailAddress { name address } } } }
    }
  }
`;

interface Node {
  id: string;
  topic: string;
  toRecipients: Array<{ emailAddress: { name: string; address: string } }>;
}

function listCalls(harness: Harness) {
  return harness.fake.httpCalls('GET').filter((call) => call.target.startsWith(`/v1.0/groups/${GROUP_ID}/threads?`));
}

describe('thread list with details', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('reads missing recipients of 20 nodes in one $batch', async () => {
    harness = await startHarness({ fake: { listOmitsRecipients: true } });
    seedThreads(harness.fake, 20);

    const { body } = await harness.graphql(THREADS, { groupId: GROUP_ID, first: 20 });

    expect(body.errors).toBeUndefined();
    const nodes = (body.data!.threads.edges as Array<{ node: Node }>).map((edge) => edge.node);
    expect(nodes).toHaveLength(20);
    for (const node of nodes) {
      const number = node.topic.replace('Topic ', '');
      expect(node.toRecipients).toEqual([{ emailAddress: { name: `Person ${number}`, address: `person${number}@example.com` } }]);
    }
    expect(listCalls(harness)).toHaveLength(1);
    const batches = batchCalls(harness.fake);
    expect(batches).toHaveLength(1);
    expect(subRequestsOf(batches[0]!).map((sub) => threadIdOf(sub.url)).sort()).toEqual(nodes.map((node) => node.id).sort());
    expect(singleThreadGets(harness.fake)).toHaveLength(0);
  });

  it('reads 45 nodes in three batches', async () => {
    harness = await startHarness({ fake: { listOmitsRecipients: true } });
    seedThreads(harness.fake, 45);

    const { body } = await harness.graphql(THREADS, { groupId: GROUP_ID, first: 45 });

    expect(body.errors).toBeUndefined();
    expect(body.data!.threads.edges).toHaveLength(45);
    expect(batchCalls(harness.fake).map((call) => subRequestsOf(call).length)).toEqual([20, 20, 5]);
    expect(singleThreadGets(harness.fake)).toHaveLength(0);
  });

  it('makes no extra read when the list has the recipients', async () => {
    harness = await startHarness();
    seedThreads(harness.fake, 5);

    const { body } = await harness.graphql(THREADS, { groupId: GROUP_ID, first: 5 });

    expect(body.errors).toBeUndefined();
    expect(body.data!.threads.edges[0].node.toRecipients).toHaveLength(1);
    expect(batchCalls(harness.fake)).toHaveLength(0);
    expect(singleThreadGets(harness.fake)).toHaveLength(0);
  });
});
