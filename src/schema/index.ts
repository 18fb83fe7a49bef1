import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './recipient.js';
import './conversation-thread.js';
import './add-thread.js';

/** Federation version in the `@link` of the subgraph SDL; Hive Gateway and Apollo Router compose it. */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.6';

export const schema: GraphQLSchema = builder.toSubGraphSchema({
  linkUrl: FEDERATION_LINK,
  federationDirectives: ['@key'],
});

/** Print the subgraph SDL with its `@link` and `@key` directives, as `schema.graphql` contains it. */
export function printSchemaSdl(): string {
  return `${printSubgraphSchema(schema).trim()}\n`;
}
