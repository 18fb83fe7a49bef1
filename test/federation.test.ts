import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { getIntrospectionQuery, parse } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { printSchemaSdl } from '../src/schema/index.js';
import { startGroupSubgraph } from './group-subgraph.js';
import { ADD, GROUP_ID, listen, serveGateway, startHarness, TOKEN_A, vars, type Harness } from './helpers.js';
import { batchCalls, seedThreads, singleThreadGets, subRequestsOf, threadIdOf } from './thread-fixtures.js';

const SERVICE_SDL = '{ _service { sdl } }';
const SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

/** POST a GraphQL request over HTTP and return the parsed body. */
async function post(url: string, query: string, variables?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function serviceSdl(url: string): Promise<string> {
  const body = await post(url, SERVICE_SDL);
  if (body.errors !== undefined) throw new Error(`_service { sdl } failed at ${url}: ${body.errors[0]!.message}`);
  return body.data._service.sdl as string;
}

describe('subgraph SDL', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('_service sdl equals schema.graphql', async () => {
    harness = await startHarness();
    const file = await readFile(SCHEMA_FILE, 'utf8');

    const { body } = await harness.graphql(SERVICE_SDL);

    expect(body.errors).toBeUndefined();
    // The file ends with one newline, which the printer leaves off.
    expect(`${body.data!._service.sdl}\n`).toBe(file);
    expect(printSchemaSdl()).toBe(file);
  });

  it('@link imports @key from federation v2.6', async () => {
    harness = await startHarness();
    const file = await readFile(SCHEMA_FILE, 'utf8');
    const { body } = await harness.graphql(SERVICE_SDL);
    const sdl = body.data!._service.sdl as string;

    for (const text of [sdl, file]) {
      const link = /extend schema\s+@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.(\d+)", import: \[([^\]]*)\]\)/.exec(text);
      expect(link).not.toBeNull();
      expect(link![1]).toBe('6');
      expect(link![2]!.split(',').map((name) => name.trim())).toContain('"@key"');
      expect(text).toMatch(/type ConversationThread\s+@key\(fields: "groupId id"\)/);
    }
  });

  it('introspection cannot show the entity key', async () => {
    harness = await startHarness();

    const introspection = await harness.graphql(getIntrospectionQuery());
    const service = await harness.graphql(SERVICE_SDL);

    expect(introspection.body.errors).toBeUndefined();
    const types = introspection.body.data!.__schema.types as Array<{ name: string }>;
    expect(types.map((type) => type.name)).toContain('ConversationThread');
    expect(JSON.stringify(introspection.body)).not.toContain('groupId id');
    expect(service.body.data!._service.sdl).toMatch(/type ConversationThread\s+@key\(fields: "groupId id"\)/);
  });
});

describe('federation with a router', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  /** Start the threads subgraph with `threadCount` threads, the group subgraph, and compose both SDLs. */
  async function startSubgraphs(threadCount: number) {
    const harness = await startHarness();
    cleanups.push(() => harness.close());
    const ids = seedThreads(harness.fake, threadCount);
    const threads = await serveGateway(harness.gateway);
    cleanups.push(threads.close);
    const groups = await startGroupSubgraph((groupId) => (groupId === GROUP_ID ? ids : []));
    cleanups.push(groups.close);

    const composition = composeServices([
      { name: 'threads', typeDefs: parse(await serviceSdl(threads.url)), url: threads.url },
      { name: 'groups', typeDefs: parse(await serviceSdl(groups.url)), url: groups.url },
    ]);
    return { harness, ids, composition };
  }

  /** Serve a Hive Gateway for `supergraph` on a loopback port; it forwards the caller's Authorization header. */
  async function startRouter(supergraph: string): Promise<string> {
    const router = createGatewayRuntime({
      supergraph,
      logging: false,
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
      },
    });
    const server = await listen(createServer(router));
    cleanups.push(async () => {
      await server.close();
      await router.dispose();
    });
    return `${server.url}/graphql`;
  }

  it('composes with a subgraph that references threads', async () => {
    const { composition } = await startSubgraphs(0);

    expect(composition.errors).toBeUndefined();
    expect(composition.supergraphSdl).toMatch(/type ConversationThread\s[^{]*@join__type\(graph: THREADS, key: "groupId id"\)/);
    expect(composition.supergraphSdl).toMatch(/@join__type\(graph: GROUPS, key: "groupId id", resolvable: false\)/);
  });

  it('resolves 20 referenced threads with one $batch', async () => {
    const { harness, ids, composition } = await startSubgraphs(20);
    const url = await startRouter(composition.supergraphSdl!);
    const query = `{ group(id: "${GROUP_ID}") { id latestThreads { id groupId topic toRecipients { emailAddress { address } } } } }`;

    const body = await post(url, query, undefined, { authorization: `Bearer ${TOKEN_A}` });

    expect(body.errors).toBeUndefined();
    expect(body.data.group.id).toBe(GROUP_ID);
    const threads = body.data.group.latestThreads as Array<{ id: string; groupId: string; topic: string; toRecipients: unknown }>;
    expect(threads.map((thread) => thread.id)).toEqual(ids);
    threads.forEach((thread, index) => {
      expect(thread.groupId).toBe(GROUP_ID);
      expect(thread.topic).toBe(`Topic ${index + 1}`);
      expect(thread.toRecipients).toEqual([{ emailAddress: { address: `person${index + 1}@example.com` } }]);
    });
    const batches = batchCalls(harness.fake);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.token).toBe(TOKEN_A);
    expect(subRequestsOf(batches[0]!).map((sub) => threadIdOf(sub.url))).toEqual(ids);
    expect(singleThreadGets(harness.fake)).toHaveLength(0);
  });

  it('creates a thread through the router', async () => {
    const { harness, composition } = await startSubgraphs(0);
    const url = await startRouter(composition.supergraphSdl!);

    const body = await post(url, ADD, vars(), { authorization: `Bearer ${TOKEN_A}` });

    expect(body.errors).toBeUndefined();
    expect(body.data.addThread.__typename).toBe('AddThreadSuccess');
    expect(body.data.addThread.thread.topic).toBe('Placeholder topic');
    expect(harness.fake.httpCalls('POST')).toHaveLength(1);
  });
});
