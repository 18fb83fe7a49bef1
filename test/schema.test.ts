import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSchemaSdl } from '../src/schema/index.js';
import { startHarness } from './helpers.js';

const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

describe('schema.graphql', () => {
  it('matches the schema built from the code', () => {
    // Regenerate with `npm run schema:write` after changing the schema.
    expect(printSchemaSdl()).toBe(committed);
  });

  it('declares the federation link and the entity key', () => {
    expect(committed).toMatch(/extend schema\s+@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \["@key"\]\)/);
    expect(committed).toMatch(/type ConversationThread\s+@key\(fields: "groupId id"\)/);
  });

  it('keeps the public contract', () => {
    for (const line of [
      'addThread(input: AddThreadInput!): AddThreadResult',
      'thread(groupId: ID!, id: ID!): ConversationThread',
      'threads(groupId: ID!, conversationId: ID, first: Int, after: String): ConversationThreadConnection!',
      'thread: ConversationThread!',
      'outcomeUnknown: Boolean!',
      'issues: [ValidationIssue!]!',
      'lastDeliveredDateTime: DateTime',
    ]) {
      expect(committed).toContain(line);
    }
    expect(committed).toMatch(/union AddThreadResult = (?=.*AddThreadSuccess)(?=.*ValidationError)(?=.*GraphError)/);
    expect(committed).toMatch(/enum BodyType \{\s+TEXT\s+HTML\s+\}/);
  });

  it('is what the running subgraph returns from _service', async () => {
    const harness = await startHarness();
    try {
      const { body } = await harness.graphql('{ _service { sdl } }');
      expect(`${body.data!._service.sdl.trim()}\n`).toBe(committed);
    } finally {
      await harness.close();
    }
  });
});
