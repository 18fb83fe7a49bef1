import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Limits on the shape of one operation. The deepest legitimate selection, a thread list down to a
 * recipient's address (threads, edges, node, toRecipients, emailAddress, address), has depth 6,
 * and a federation router's `_entities` query is shallower. By graphql-armor 2.4's cost formula,
 * that list with every thread field costs about 94 and `addThread` with every result member
 * less, so 1000 allows about ten such lists in one operation. Each one is a Graph call.
 * Up to 50 aliases let a client read a page of threads by alias, which the loaders turn into
 * three Graph `$batch` calls at most. Introspection is exempt from the depth and cost limits.
 */
export const OPERATION_LIMITS = {
  maxDepth: 8,
  maxAliases: 50,
  maxTokens: 1_000,
  maxDirectives: 20,
  maxCost: 1_000,
} as const;

/** Build the graphql-armor plugins that reject an operation over a limit, with a message that states the limit. */
export function operationLimitPlugins(): Plugin[] {
  return [
    maxDepthPlugin({ n: OPERATION_LIMITS.maxDepth }),
    maxAliasesPlugin({ n: OPERATION_LIMITS.maxAliases }),
    maxTokensPlugin({ n: OPERATION_LIMITS.maxTokens }),
    maxDirectivesPlugin({ n: OPERATION_LIMITS.maxDirectives }),
    costLimitPlugin({ maxCost: OPERATION_LIMITS.maxCost }),
  ];
}

/** Reject `__schema` and `__type` queries, so production does not publish the schema to strangers. */
export function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
