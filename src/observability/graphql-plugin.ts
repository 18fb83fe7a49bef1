import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Telemetry } from './telemetry.js';

/** The context fields this plugin reads; the gateway's context has them. */
interface TelemetryContext {
  clientRequestId?: string;
  params?: { operationName?: string | null | undefined };
}

// Operation names come from clients, so they are bounded before they become label values:
// a name must look like a GraphQL name, and only the first MAX_OPERATION_LABELS are kept.
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const MAX_OPERATION_LABELS = 200;

/**
 * Same rule as Yoga's masking: a GraphQLError without an original error of another kind reaches
 * the client as it is. Checked by name as Yoga does, because `instanceof` fails when two copies
 * of graphql-js are loaded (its CommonJS and ESM builds).
 */
function isOriginalGraphQLError(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'GraphQLError') return false;

  const original = (error as GraphQLError).originalError;
  if (original == null) return true;
  return isOriginalGraphQLError(original);
}

function describeOperation(document: DocumentNode, operationName: string | null | undefined) {
  const operation = getOperationAST(document, operationName);
  return { name: operation?.name?.value, type: operation?.operation ?? 'unknown' };
}

/**
 * Count and time every GraphQL operation, and log each error that Yoga is about to mask, once,
 * with the operation name and the request ids. It must run before Yoga's masking plugin, which
 * Yoga places after every plugin from its `plugins` option.
 */
export function useOperationTelemetry(telemetry: Telemetry, now: () => number = performance.now.bind(performance)): Plugin<TelemetryContext> {
  const knownOperations = new Set<string>();

  const label = (name: string | undefined): string => {
    if (name === undefined) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (!knownOperations.has(name) && knownOperations.size >= MAX_OPERATION_LABELS) return 'other';

    knownOperations.add(name);
    return name;
  };

  return {
    onValidate({ params, context }) {
      return ({ valid }) => {
        if (valid) return;

        const { name, type } = describeOperation(params.documentAST, context.params?.operationName);
        telemetry.operationCompleted({ operation: label(name), type, result: 'invalid', durationMs: undefined });
      };
    },

    onExecute({ args }) {
      const startedAt = now();
      const { name, type } = describeOperation(args.document, args.operationName);
      const operation = label(name);
      const context = args.contextValue as TelemetryContext;

      return {
        onExecuteDone({ result }) {
          const durationMs = now() - startedAt;
          // NOTE: streamed results (@defer, subscriptions) are counted as successes when they start;
          // the schema has neither today.
          const errors = isAsyncIterable(result) ? [] : (result.errors ?? []);

          for (const error of errors) {
            if (isOriginalGraphQLError(error)) continue;
            telemetry.unexpectedError({
              operation,
              clientRequestId: context.clientRequestId,
              durationMs,
              path: error.path,
              error: error.originalError ?? error,
            });
          }
          telemetry.operationCompleted({ operation, type, result: errors.length === 0 ? 'success' : 'error', durationMs });
        },
      };
    },
  };
}
