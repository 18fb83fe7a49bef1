import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Give request errors without a code the code `BAD_USER_INPUT`. graphql-js reports variables that
 * are missing or of the wrong type with no `extensions.code`, but clients branch on the code. The
 * gateway's own errors and Yoga's parse and validation errors already carry one.
 */
export function useInputErrorCodes(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || result.errors === undefined) return;
          if (!result.errors.some((error) => error.path === undefined && error.extensions?.code === undefined)) return;

          setResult({
            ...result,
            errors: result.errors.map((error) =>
              error.path === undefined && error.extensions?.code === undefined
                ? new GraphQLError(error.message, {
                    nodes: error.nodes,
                    source: error.source,
                    positions: error.positions,
                    originalError: error.originalError,
                    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
                  })
                : error,
            ),
          });
        },
      };
    },
  };
}
