import { defaultExtractPersistedOperationId, usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

/**
 * Run only the documents of the trusted-documents file. A client sends a document's id instead
 * of its text, as `documentId` or as `extensions.persistedQuery.sha256Hash`. A request with
 * any other document, or with an unknown id, is rejected.
 */
export function useTrustedDocuments(documents: ReadonlyMap<string, string>): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (id) => documents.get(id) ?? null,
    allowArbitraryOperations: false,
    extractPersistedOperationId: (params, request, context) => {
      const documentId = (params as { documentId?: unknown }).documentId;
      if (typeof documentId === 'string') return documentId;
      return defaultExtractPersistedOperationId(params, request, context);
    },
    customErrors: {
      notFound: {
        message: 'The document id is not in the trusted documents of this gateway. Send the id of a trusted document.',
        extensions: { code: 'TRUSTED_DOCUMENT_NOT_FOUND', http: { status: 400 } },
      },
      persistedQueryOnly: {
        message: 'This gateway runs only trusted documents. Send a trusted document id as "documentId" instead of a query.',
        extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED', http: { status: 400 } },
      },
      keyNotFound: {
        message: 'The request names no trusted document. Send a trusted document id as "documentId".',
        extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED', http: { status: 400 } },
      },
    },
  }) as Plugin;
}
