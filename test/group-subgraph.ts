import { createServer } from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { listen } from './helpers.js';

/**
 * A second subgraph for federation tests. It owns `Group` and refers to this gateway's
 * `ConversationThread` entities by their key only. The router must then fetch every other thread
 * field from the threads subgraph through `_entities`.
 */
const GROUP_SUBGRAPH_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Query {
    group(id: ID!): Group
  }

  type Group @key(fields: "id") {
    id: ID!
    latestThreads: [ConversationThread!]!
  }

  type ConversationThread @key(fields: "groupId id", resolvable: false) {
    groupId: ID!
    id: ID!
  }
`;

export interface GroupSubgraph {
  /** The GraphQL endpoint on 127.0.0.1. */
  url: string;
  close(): Promise<void>;
}

/** Serve the group subgraph on a loopback port; `latestThreadIds` returns the thread ids of a group. */
export async function startGroupSubgraph(latestThreadIds: (groupId: string) => string[]): Promise<GroupSubgraph> {
  const schema = buildSubgraphSchema({
    typeDefs: parse(GROUP_SUBGRAPH_SDL),
    resolvers: {
      Query: {
        group: (_root: unknown, args: { id: string }) => ({ id: args.id }),
      },
      Group: {
        latestThreads: (group: { id: string }) => latestThreadIds(group.id).map((id) => ({ groupId: group.id, id })),
      },
    },
  });
  const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', logging: false, landingPage: false, graphiql: false });
  const { url, close } = await listen(createServer(yoga));
  return { url: `${url}/graphql`, close };
}
