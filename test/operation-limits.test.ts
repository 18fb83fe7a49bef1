import { getIntrospectionQuery } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { OPERATION_LIMITS } from '../src/plugins/limits.js';
import { ADD, GROUP_ID, startHarness, vars, type Harness } from './helpers.js';

const DEEPEST_READ = /* GraphQL */ `
  query Threads($groupId: ID!) {
    threads(groupId: $groupId, first: 5) {
      edges { cursor node { id topic toRecipients { emailAddress { name address } } ccRecipients { emailAddress { name address } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

function messages(result: { body: { errors?: Array<{ message: string }> } }): string[] {
  return (result.body.errors ?? []).map((error) => error.message);
}

describe('operation limits', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('lets the documented operations through', async () => {
    harness = await startHarness();

    const add = await harness.graphql(ADD, vars());
    const read = await harness.graphql(DEEPEST_READ, { groupId: GROUP_ID });
    const introspection = await harness.graphql(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }));

    expect(messages(add)).toEqual([]);
    expect(messages(read)).toEqual([]);
    expect(messages(introspection)).toEqual([]);
  });

  it('rejects an operation deeper than the limit', async () => {
    harness = await startHarness();
    const nested = 'a { '.repeat(OPERATION_LIMITS.maxDepth) + 'b' + ' }'.repeat(OPERATION_LIMITS.maxDepth);

    const result = await harness.graphql(`{ ${nested} }`);

    expect(messages(result)).toContain(`Syntax Error: Query depth limit of ${OPERATION_LIMITS.maxDepth} exceeded, found ${OPERATION_LIMITS.maxDepth + 1}.`);
    expect(harness.fake.calls).toHaveLength(0);
  });

  it('rejects more aliases than the limit', async () => {
    harness = await startHarness();
    const count = OPERATION_LIMITS.maxAliases + 1;
    const fields = Array.from({ length: count }, (_, index) => `t${index}: thread(groupId: "${GROUP_ID}", id: "AAQk${index}") { id }`);

    const result = await harness.graphql(`{ ${fields.join(' ')} }`);

    expect(messages(result)).toContain(`Syntax Error: Aliases limit of ${OPERATION_LIMITS.maxAliases} exceeded, found ${count}.`);
    expect(harness.fake.calls).toHaveLength(0);
  });

  it('rejects more tokens than the limit', async () => {
    harness = await startHarness();

    const result = await harness.graphql(`{ ${'__typename '.repeat(OPERATION_LIMITS.maxTokens)} }`);

    expect(messages(result).join('\n')).toMatch(new RegExp(`Token limit of ${OPERATION_LIMITS.maxTokens} exceeded`));
  });

  it('rejects more directives than the limit', async () => {
    harness = await startHarness();
    const directives = '@include(if: true) '.repeat(OPERATION_LIMITS.maxDirectives + 1);

    const result = await harness.graphql(`{ __typename ${directives} }`);

    expect(messages(result).join('\n')).toMatch(new RegExp(`Directives limit of ${OPERATION_LIMITS.maxDirectives} exceeded`));
  });

  it('rejects an operation costlier than the limit', async () => {
    harness = await startHarness();
    const node = 'node { id topic preview toRecipients { emailAddress { name address } } ccRecipients { emailAddress { name address } } }';
    // Each such list costs about 94, so 13 of them pass every other limit but cost over 1000.
    const fields = Array.from({ length: 13 }, (_, index) => `t${index}: threads(groupId: "${GROUP_ID}") { edges { ${node} } }`);

    const result = await harness.graphql(`{ ${fields.join(' ')} }`);

    expect(messages(result).join('\n')).toMatch(new RegExp(`Query Cost limit of ${OPERATION_LIMITS.maxCost} exceeded`));
    expect(harness.fake.calls).toHaveLength(0);
  });
});
