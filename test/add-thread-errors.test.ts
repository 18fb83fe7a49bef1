import { afterEach, describe, expect, it } from 'vitest';
import { ADD, GROUP_ID, startHarness, vars, type Harness } from './helpers.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

describe('addThread validation', () => {
  it('lists one issue per invalid field and calls nothing', async () => {
    const h = await start();
    const input = vars({
      groupId: '../../me',
      conversationId: 'AAQk/../me',
      topic: 'x'.repeat(1001),
      toRecipients: [{ emailAddress: { address: 'also-not-an-email' } }],
      posts: [
        {
          body: { contentType: 'TEXT', content: '   ' },
          newParticipants: [{ emailAddress: { name: 'n'.repeat(257), address: 'not-an-email' } }],
        },
      ],
      idempotencyKey: 'has space',
    });

    const { body } = await h.graphql(ADD, input);

    expect(body.errors).toBeUndefined();
    expect(body.data!.addThread.__typename).toBe('ValidationError');
    expect(body.data!.addThread.code).toBe('VALIDATION_FAILED');
    const paths = body.data!.addThread.issues.map((issue: { path: string }) => issue.path).sort();
    expect(paths).toEqual(
      [
        'input.groupId',
        'input.conversationId',
        'input.topic',
        'input.toRecipients.0.emailAddress.address',
        'input.posts.0.body.content',
        'input.posts.0.newParticipants.0.emailAddress.name',
        'input.posts.0.newParticipants.0.emailAddress.address',
        'input.idempotencyKey',
      ].sort(),
    );
    expect(body.data!.addThread.message).toContain('"not-an-email"');
    expect(body.data!.addThread.message).toContain('"../../me"');
    expect(h.fake.calls).toHaveLength(0);
  });

  it.each([
    ['groupId', '1111?x=1#y'],
    ['groupId', 'not-a-guid'],
    ['conversationId', 'AAQk\n'],
    ['conversationId', 'a?b'],
    ['conversationId', 'a#b'],
    ['conversationId', '..'],
    ['conversationId', ''],
    ['id', 'x/y'],
  ])('rejects %s %j before any call', async (field, value) => {
    const h = await start();

    const { body } = await h.graphql(ADD, vars({ [field]: value }));

    expect(body.data!.addThread.__typename).toBe('ValidationError');
    expect(body.data!.addThread.issues.map((issue: { path: string }) => issue.path)).toEqual([`input.${field}`]);
    expect(h.fake.calls).toHaveLength(0);
  });

  it('rejects more than one post', async () => {
    const h = await start();
    const post = { body: { contentType: 'TEXT', content: 'a' } };

    const { body } = await h.graphql(ADD, vars({ posts: [post, post] }));

    expect(body.data!.addThread.issues).toEqual([{ path: 'input.posts', message: expect.stringContaining('at most one post') }]);
    expect(h.fake.calls).toHaveLength(0);
  });

  it.each(['2017-02-30T00:00:00Z', 'yesterday', '2017-01-01 00:00:00'])('rejects the DateTime %j as a validation issue', async (value) => {
    const h = await start();

    const { body } = await h.graphql(ADD, vars({ lastDeliveredDateTime: value, groupId: 'not-a-guid' }));

    expect(body.data!.addThread.__typename).toBe('ValidationError');
    const paths = body.data!.addThread.issues.map((issue: { path: string }) => issue.path).sort();
    expect(paths).toEqual(['input.groupId', 'input.lastDeliveredDateTime']);
    expect(body.data!.addThread.message).toContain('RFC 3339');
    expect(h.fake.calls).toHaveLength(0);
  });
});

describe('addThread Graph errors', () => {
  it.each([
    [400, 'ErrorInvalidRequest'],
    [403, 'ErrorAccessDenied'],
    [404, 'ErrorItemNotFound'],
    [409, 'ErrorConflict'],
  ])('returns a %i %s as GraphError with request ids', async (status, code) => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status, code, message: 'Placeholder reason from upstream' });

    const { status: httpStatus, body } = await h.graphql(ADD, vars(), {
      authorization: 'Bearer token-A',
      'client-request-id': '7f0c2b3e-0000-4000-8000-000000000001',
    });

    expect(httpStatus).toBe(200);
    expect(body.errors).toBeUndefined();
    const result = body.data!.addThread;
    expect(result).toMatchObject({
      __typename: 'GraphError',
      code,
      status,
      clientRequestId: '7f0c2b3e-0000-4000-8000-000000000001',
      outcomeUnknown: false,
      retryAfterSeconds: null,
    });
    expect(result.message).toContain('Placeholder reason from upstream');
    expect(result.requestId).toEqual(expect.any(String));
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
  });

  it.each([
    ['application/json', 404, 'ErrorItemNotFound'],
    ['application/json', 503, 'serviceNotAvailable'],
    ['application/graphql-response+json', 404, 'ErrorItemNotFound'],
    ['application/graphql-response+json', 503, 'serviceNotAvailable'],
  ])('answers HTTP 200 with Accept %s when Graph answers %i', async (accept, status, code) => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status, code });

    const response = await h.graphql(ADD, vars(), { authorization: 'Bearer token-A', accept });

    expect(response.status).toBe(200);
    expect(response.body.data!.addThread).toMatchObject({ __typename: 'GraphError', status, code });
  });

  it('keeps upstream headers out of the response', async () => {
    const h = await start();
    h.fake.faults.add({
      method: 'POST',
      status: 403,
      code: 'ErrorAccessDenied',
      message: 'Access is denied. Check credentials and try again.',
      headers: { 'set-cookie': 'x=placeholder', 'strict-transport-security': 'max-age=31536000' },
    });

    const { headers, body } = await h.graphql(ADD, vars());

    expect(body.data!.addThread).toMatchObject({ code: 'ErrorAccessDenied', status: 403, outcomeUnknown: false, message: expect.stringContaining('Access is denied') });
    expect(headers.get('set-cookie')).toBeNull();
    expect(headers.get('x-ms-ags-diagnostic')).toBeNull();
    expect(headers.get('request-id')).toBeNull();
    expect(JSON.stringify(body)).not.toContain('token-A');
    expect(JSON.stringify(body)).not.toContain('127.0.0.1');
  });

  it('returns the fake Graph own 404 codes for an unknown group and conversation', async () => {
    const h = await start();

    const group = await h.graphql(ADD, vars({ groupId: '22222222-2222-4222-8222-222222222222' }));
    const conversation = await h.graphql(ADD, vars({ conversationId: 'AAQkUnknownConversation=' }));

    expect(group.body.data!.addThread).toMatchObject({ __typename: 'GraphError', code: 'Request_ResourceNotFound', status: 404, outcomeUnknown: false });
    expect(conversation.body.data!.addThread).toMatchObject({ __typename: 'GraphError', code: 'ErrorItemNotFound', status: 404 });
  });

  it('marks a 5xx on the create as outcome unknown and sends one POST', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 504, afterCommit: true });

    const { body } = await h.graphql(ADD, vars());

    expect(body.data!.addThread).toMatchObject({ __typename: 'GraphError', status: 504, outcomeUnknown: true });
    expect(body.data!.addThread.message).toContain('may have been created');
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
    expect(h.fake.store.listThreads(GROUP_ID)).toHaveLength(1);
  });

  it('passes Retry-After of a 429 through as retryAfterSeconds', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 429, code: 'ApplicationThrottled', retryAfter: '120', times: Infinity });

    const { body } = await h.graphql(ADD, vars());

    expect(body.data!.addThread).toMatchObject({ __typename: 'GraphError', code: 'ApplicationThrottled', status: 429, retryAfterSeconds: 120, outcomeUnknown: false });
  });
});

describe('addThread without a usable answer', () => {
  it.each([
    ['an empty 401', { status: 401, body: 'empty' as const, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }],
    ['a Graph 401', { status: 401, code: 'InvalidAuthenticationToken' }],
  ])('maps %s to UNAUTHENTICATED', async (_name, fault) => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', ...fault });

    const { status, body } = await h.graphql(ADD, vars());

    expect(status).toBe(200);
    expect(body.data).toEqual({ addThread: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ path: ['addThread'], extensions: { code: 'UNAUTHENTICATED' } });
    expect(body.errors![0]!.message).not.toMatch(/JSON/);
  });

  it.each([
    ['an empty 201', { body: 'empty' as const }],
    ['an HTML 201', { body: 'html' as const }],
    ['a 202 with no body', { status: 202, body: 'empty' as const, afterCommit: true }],
    ['a 201 that is not a thread', { body: { text: '{"value":[]}', contentType: 'application/json' } }],
  ])('maps %s to UPSTREAM_BAD_RESPONSE with outcomeUnknown', async (_name, fault) => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', ...fault, respond: undefined });

    const { body } = await h.graphql(ADD, vars());

    expect(body.data).toEqual({ addThread: null });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', outcomeUnknown: true });
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
  });

  it('maps a 503 without Graph body to UPSTREAM_UNAVAILABLE', async () => {
    const h = await start();
    h.fake.faults.add({ method: 'POST', status: 503, body: 'html' });

    const { body } = await h.graphql(ADD, vars());

    expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', outcomeUnknown: true, status: 503 });
  });
});

describe('addThread when Graph returns only the id', () => {
  it('reads the selected fields with one GET', async () => {
    const h = await start({ fake: { createResponse: 'id-only' } });

    const { body } = await h.graphql(ADD, vars());

    expect(body.errors).toBeUndefined();
    const stored = h.fake.store.listThreads(GROUP_ID)[0]!;
    expect(body.data!.addThread.thread).toEqual({ id: stored.id, topic: 'Placeholder topic', lastDeliveredDateTime: stored.lastDeliveredDateTime });
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
    expect(h.fake.httpCalls('GET')).toHaveLength(1);
    expect(h.fake.httpCalls('GET')[0]!.target).toContain(`/threads/${encodeURIComponent(stored.id)}?$select=`);
  });

  it('reads nothing when only the id is selected', async () => {
    const h = await start({ fake: { createResponse: 'id-only' } });

    const { body } = await h.graphql('mutation($input: AddThreadInput!) { addThread(input: $input) { ... on AddThreadSuccess { thread { id } } } }', vars());

    expect(body.data!.addThread.thread.id).toEqual(expect.any(String));
    expect(h.fake.calls).toHaveLength(1);
  });

  it('retries a 404 on the read right after the create', async () => {
    const h = await start({ fake: { createResponse: 'id-only' } });
    h.fake.faults.add({ method: 'GET', status: 404, code: 'ErrorItemNotFound', times: 2 });

    const { body } = await h.graphql(ADD, vars());

    expect(body.errors).toBeUndefined();
    expect(body.data!.addThread.thread.topic).toBe('Placeholder topic');
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
    expect(h.fake.httpCalls('GET')).toHaveLength(3);
    expect(h.sleeps).toEqual([250, 500]);
  });

  it('keeps the created id when the follow-up read fails', async () => {
    const h = await start({ fake: { createResponse: 'id-only' } });
    h.fake.faults.add({ method: 'GET', status: 403, code: 'ErrorAccessDenied' });

    const { body } = await h.graphql(ADD, vars());

    expect(body.data!.addThread.thread.id).toEqual(expect.any(String));
    expect(body.data!.addThread.thread.topic).toBeNull();
    expect(body.errors![0]).toMatchObject({
      path: ['addThread', 'thread', 'topic'],
      extensions: { code: 'GRAPH_ERROR', graphCode: 'ErrorAccessDenied', status: 403 },
    });
    expect(h.fake.httpCalls('POST')).toHaveLength(1);
  });
});
