import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { ConfigError } from './config-readers.js';

/**
 * Read the trusted documents named by `TRUSTED_DOCUMENTS`: a JSON object that maps each
 * document id to its GraphQL text, the shape of GraphQL Code Generator's
 * `persisted-documents.json`. Every document is parsed at start, so a typo fails the start
 * instead of the first request that uses it.
 */
export function readTrustedDocuments(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`TRUSTED_DOCUMENTS names ${JSON.stringify(path)}, which cannot be read: ${reason}`);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`TRUSTED_DOCUMENTS file ${JSON.stringify(path)} is not valid JSON: ${reason}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(
      `TRUSTED_DOCUMENTS file ${JSON.stringify(path)} must be a JSON object that maps document ids to GraphQL documents.`,
    );
  }

  const documents = new Map<string, string>();
  for (const [id, document] of Object.entries(json)) {
    if (typeof document !== 'string') {
      throw new ConfigError(`TRUSTED_DOCUMENTS file ${JSON.stringify(path)}: the value of ${JSON.stringify(id)} must be a GraphQL document string.`);
    }
    try {
      parse(document);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`TRUSTED_DOCUMENTS file ${JSON.stringify(path)}: document ${JSON.stringify(id)} is invalid GraphQL: ${reason}`);
    }
    documents.set(id, document);
  }
  return documents;
}
