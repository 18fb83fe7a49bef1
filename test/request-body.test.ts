import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGateway, type Gateway } from '../src/gateway.js';
import { ADD, captureLogger, DEFAULT_GRAPH_BODY, GROUP_ID, startRecordingStub, vars } from './helpers.js';

const S201 = {
  status: 201,
  headers: {
    'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
    'request-id': 'req-0001',
  },
  body: JSON.stringify({
    '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#groups('${GROUP_ID}')/conversations('AAQkAGPlaceholder-Conv_0001%3D')/threads/$entity`,
    id: 'AAQkAGPlaceholder-Thread_1==',
    topic: 'Placeholder topic',
    hasAttachments: false,
    lastDeliveredDateTime: '2024-05-01T08:00:00Z',
    uniqueSenders: ['Placeholder User'],
    preview: 'Placeholder body',
    isLocked: false,
  }),
};

let stub: Awaited<ReturnType<typeof startRecordingStub>> | undefined;
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  await stub?.close();
  gateway = undefined;
  stub = undefined;
});

async function send(variables: unknown) {
  stub = await startRecordingStub(() => S201);
  gateway = createGateway({ config: loadConfig({ GRAPH_BASE_URL: stub.url }), logger: captureLogger().logger });
  const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer token-A' },
    body: JSON.stringify({ query: ADD, variables }),
  });
  return (await response.json()) as { data?: any; errors?: any[] };
}

describe('create request body', () => {
  it('uses Graph names, nesting and lowercase body types', async () => {
    const body = await send(vars());

    expect(body.data.addThread).toEqual({
      __typename: 'AddThreadSuccess',
      thread: { id: 'AAQkAGPlaceholder-Thread_1==', topic: 'Placeholder topic', lastDeliveredDateTime: '2024-05-01T08:00:00Z' },
    });
    const request = stub!.requests[0]!;
    expect(JSON.parse(request.body.toString('utf8'))).toEqual(DEFAULT_GRAPH_BODY);
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('sends TEXT as "text"', async () => {
    await send(vars({ posts: [{ body: { contentType: 'TEXT', content: 'Plain' } }] }));

    expect(JSON.parse(stub!.requests[0]!.body.toString('utf8')).posts).toEqual([{ body: { contentType: 'text', content: 'Plain' } }]);
  });

  it('sends every field the caller set, exactly as given', async () => {
    const content = 'c'.repeat(50_000);
    const input = vars({
      id: 'AAQkAGPlaceholder-Own_Id==',
      toRecipients: [
        { emailAddress: { name: 'To One', address: 'to.one@example.com' } },
        { emailAddress: { address: 'to.two@example.com' } },
      ],
      ccRecipients: [{ emailAddress: { name: 'Cc', address: 'cc@example.com' } }],
      posts: [
        {
          body: { contentType: 'HTML', content },
          newParticipants: [
            { emailAddress: { name: 'P1', address: 'p1@example.com' } },
            { emailAddress: { name: 'P2', address: 'p2@example.com' } },
          ],
        },
      ],
      isLocked: false,
      hasAttachments: false,
      preview: 'Own preview',
      lastDeliveredDateTime: '2017-01-01T00:02:54.185054+03:00',
      uniqueSenders: ['Placeholder User'],
      idempotencyKey: 'key-1',
    });

    await send(input);

    const raw = stub!.requests[0]!.body.toString('utf8');
    expect(raw).toContain('"lastDeliveredDateTime":"2017-01-01T00:02:54.185054+03:00"');
    expect(JSON.parse(raw)).toEqual({
      id: 'AAQkAGPlaceholder-Own_Id==',
      topic: 'Placeholder topic',
      toRecipients: [
        { emailAddress: { name: 'To One', address: 'to.one@example.com' } },
        { emailAddress: { address: 'to.two@example.com' } },
      ],
      ccRecipients: [{ emailAddress: { name: 'Cc', address: 'cc@example.com' } }],
      hasAttachments: false,
      lastDeliveredDateTime: '2017-01-01T00:02:54.185054+03:00',
      uniqueSenders: ['Placeholder User'],
      preview: 'Own preview',
      isLocked: false,
      posts: [
        {
          body: { contentType: 'html', content },
          newParticipants: [
            { emailAddress: { name: 'P1', address: 'p1@example.com' } },
            { emailAddress: { name: 'P2', address: 'p2@example.com' } },
          ],
        },
      ],
    });
  });

  it('keeps empty lists and false values', async () => {
    await send(vars({ toRecipients: [], isLocked: false, posts: [{ body: { contentType: 'TEXT', content: 'x' }, newParticipants: [] }] }));

    const sent = JSON.parse(stub!.requests[0]!.body.toString('utf8'));
    expect(sent.toRecipients).toEqual([]);
    expect(sent.isLocked).toBe(false);
    expect(sent.posts[0].newParticipants).toEqual([]);
  });
});

describe('path encoding', () => {
  it.each([
    ['AAQkAGPlaceholder+Conv+0001=', 'AAQkAGPlaceholder%2BConv%2B0001%3D'],
    ['AAQk%2Fliteral', 'AAQk%252Fliteral'],
    ['AAQk conv', 'AAQk%20conv'],
  ])('sends conversation id %j as the single segment %s', async (conversationId, encoded) => {
    await send(vars({}, conversationId));

    expect(stub!.requests[0]!.target).toBe(`/v1.0/groups/${GROUP_ID}/conversations/${encoded}/threads`);
  });
});
