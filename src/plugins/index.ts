import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { useBodyLimit } from './body-limit.js';
import { useInputErrorCodes } from './error-codes.js';
import { useJsonContentType } from './json-only.js';
import { operationLimitPlugins, useNoIntrospection } from './limits.js';
import { useTrustedDocuments } from './trusted-documents.js';

/**
 * Build the Yoga plugins that guard the gateway, in the order of a request. The body size and
 * content type are checked before parsing, and the operation limits while the document is parsed
 * and validated.
 */
export function securityPlugins(config: Config): Plugin[] {
  const plugins: Plugin[] = [useBodyLimit(), useJsonContentType(), ...operationLimitPlugins(), useInputErrorCodes()];
  if (!config.introspection) plugins.push(useNoIntrospection());
  if (config.trustedDocuments !== undefined) plugins.push(useTrustedDocuments(config.trustedDocuments));
  return plugins;
}
