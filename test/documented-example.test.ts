import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { captureLogger, CONVERSATION_ID, GROUP_ID, serveGateway, startHarness, startRecordingStub, type Harness } from './helpers.js';

// The body of the create-thread API page's example, with a valid address in place of its placeholder.
const EXAMPLE_GRAPH_BODY = {
  toRecipients: [{ emailAddress: { name: 'Name value', address: 'name.value@example.com' } }],
  topic: 'Topic value',
  hasAttachments: true,
  lastDeliveredDateTime: '2017-01-01T00:02:54.185054+03:00',
  uniqueSenders: ['Unique Senders value'],
  ccRecipients: [{ emailAddress: { address: 'cc.value@example.com' } }],
  preview: 'Preview value',
  isLocked: true,
};

// The same request as addThread input: Graph's property names plus the ids of the path.
const EXAMPLE_INPUT = { groupId: GROUP_ID, conversationId: CONVERSATION_ID, ...EXAMPLE_GRAPH_BODY };

const SELECT_ALL = /* GraphQL */ `
  mutation AddThread($input: AddThreadInput!) {
    addThread(input: $input) {
      __typename
      ... on AddThreadSuccess {
        thread {
          id groupId conversationId topic hasAttachments lastDeliveredDateTime uniqueSenders preview isLocked
          toRecipients { emailAddress { name address } }
          ccRecipients { emailAddress { name address } }
        }
      }
      ... on GraphError { code message }
      ... on ValidationError { issues { path message } }
    }
  }
`;

async function post(url: string, query: string, variables: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer token-A', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

describe('documented create-thread example', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('reaches the fake Graph over HTTP with Graph property names', async () => {
    harness = await startHarness();
    const server = await serveGateway(harness.gateway);
    try {
      const { status, body } = await post(server.url, SELECT_ALL, { input: EXAMPLE_INPUT });

      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.addThread.__typename).toBe('AddThreadSuccess');
      const posts = harness.fake.httpCalls('POST');
      expect(posts).toHaveLength(1);
      expect(posts[0]!.target).toBe(`/v1.0/groups/${GROUP_ID}/conversations/AAQkAGPlaceholder-Conv_0001%3D/threads`);
      expect(JSON.parse(posts[0]!.body)).toEqual(EXAMPLE_GRAPH_BODY);

      const stored = harness.fake.store.allThreads().filter((thread) => thread.groupId === GROUP_ID);
      expect(stored).toHaveLength(1);
      const thread = body.data.addThread.thread;
      expect(thread.id).toBe(stored[0]!.id);
      expect(thread.groupId).toBe(GROUP_ID);
      expect(thread.conversationId).toBe(CONVERSATION_ID);
      expect(thread.topic).toBe('Topic value');
      expect(thread.isLocked).toBe(true);
      expect(thread.lastDeliveredDateTime).toBe(stored[0]!.lastDeliveredDateTime);
      expect(thread.toRecipients).toEqual([{ emailAddress: { name: 'Name value', address: 'name.value@example.com' } }]);
      expect(thread.ccRecipients).toEqual([{ emailAddress: { name: null, address: 'cc.value@example.com' } }]);
    } finally {
      await server.close();
    }
  });

  it('sends exact bytes and returns the answer unchanged through a recording stub', async () => {
    const answer = {
      '@odata.type': '#microsoft.graph.conversationThread',
      id: 'AAQkAGPlaceholder-Thread_1==',
      ...EXAMPLE_GRAPH_BODY,
    };
    const stub = await startRecordingStub(() => ({
      status: 201,
      headers: {
        'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
        'request-id': 'req-0001',
      },
      body: JSON.stringify(answer),
    }));
    const config = loadConfig({ GRAPH_BASE_URL: stub.url });
    const gateway = createGateway({ config, logger: captureLogger().logger });
    const server = await serveGateway(gateway);
    try {
      const { body } = await post(server.url, SELECT_ALL, { input: EXAMPLE_INPUT }, {
        'client-request-id': '7f0c2b3e-0000-4000-8000-000000000001',
        cookie: 'session=placeholder',
        'x-forwarded-for': '203.0.113.9',
      });

      expect(body.errors).toBeUndefined();
      expect(stub.requests).toHaveLength(1);
      const request = stub.requests[0]!;
      expect(request.method).toBe('POST');
      expect(request.target).toBe(`/v1.0/groups/${GROUP_ID}/conversations/AAQkAGPlaceholder-Conv_0001%3D/threads`);
      expect(request.body.toString('utf8')).toBe(
        JSON.stringify({
          id: undefined,
          topic: 'Topic value',
          toRecipients: EXAMPLE_GRAPH_BODY.toRecipients,
          ccRecipients: EXAMPLE_GRAPH_BODY.ccRecipients,
          hasAttachments: true,
          lastDeliveredDateTime: '2017-01-01T00:02:54.185054+03:00',
          uniqueSenders: ['Unique Senders value'],
          preview: 'Preview value',
          isLocked: true,
        }),
      );
      expect(request.headers.authorization).toBe('Bearer token-A');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers.accept).toBe('application/json');
      expect(request.headers['client-request-id']).toBe('7f0c2b3e-0000-4000-8000-000000000001');
      const sentNames = request.rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase()).sort();
      // `connection` and `host` come from the HTTP client; nothing of the caller's cookie or forwarding headers.
      expect(sentNames).toEqual(['accept', 'authorization', 'client-request-id', 'connection', 'content-length', 'content-type', 'host', 'user-agent']);

      const thread = body.data.addThread.thread;
      expect(thread.id).toBe('AAQkAGPlaceholder-Thread_1==');
      expect(thread.lastDeliveredDateTime).toBe('2017-01-01T00:02:54.185054+03:00');
      expect(thread.uniqueSenders).toEqual(['Unique Senders value']);
      expect(thread.preview).toBe('Preview value');
      expect(thread.hasAttachments).toBe(true);
    } finally {
      await server.close();
      await gateway.close();
      await stub.close();
    }
  });
});
