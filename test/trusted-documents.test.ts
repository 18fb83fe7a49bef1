import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ADD, startHarness, TOKEN_A, vars, type Harness } from './helpers.js';

const ADD_ID = createHash('sha256').update(ADD).digest('hex');

describe('trusted documents', () => {
  let harness: Harness | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await harness?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    harness = undefined;
    dir = undefined;
  });

  function writeDocuments(content: string): string {
    dir = mkdtempSync(join(tmpdir(), 'trusted-documents-'));
    const path = join(dir, 'persisted-documents.json');
    writeFileSync(path, content);
    return path;
  }

  async function send(body: Record<string, unknown>) {
    const response = await harness!.gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_A}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
  }

  it('runs a trusted document by id', async () => {
    harness = await startHarness({ env: { TRUSTED_DOCUMENTS: writeDocuments(JSON.stringify({ [ADD_ID]: ADD })) } });

    const byDocumentId = await send({ documentId: ADD_ID, variables: vars() });
    const byHash = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: ADD_ID } }, variables: vars() });

    expect(byDocumentId.body.data?.addThread.__typename).toBe('AddThreadSuccess');
    expect(byHash.body.data?.addThread.__typename).toBe('AddThreadSuccess');
    expect(harness.fake.httpCalls('POST')).toHaveLength(2);
  });

  it('rejects an unknown id and a query text', async () => {
    harness = await startHarness({ env: { TRUSTED_DOCUMENTS: writeDocuments(JSON.stringify({ [ADD_ID]: ADD })) } });

    const unknown = await send({ documentId: 'f'.repeat(64), variables: vars() });
    const text = await send({ query: ADD, variables: vars() });

    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_NOT_FOUND');
    expect(unknown.body.errors?.[0]?.message).toContain('not in the trusted documents');
    expect(text.body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(text.body.errors?.[0]?.message).toContain('runs only trusted documents');
    expect(harness.fake.calls).toHaveLength(0);
  });

  it('rejects an invalid file at start', () => {
    const path = writeDocuments(JSON.stringify({ broken: 'mutation {' }));

    expect(() => loadConfig({ TRUSTED_DOCUMENTS: path })).toThrow(/TRUSTED_DOCUMENTS file .* document "broken" is invalid GraphQL/);
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: join(dir!, 'missing.json') })).toThrow(/TRUSTED_DOCUMENTS names .* which cannot be read/);
  });
});
