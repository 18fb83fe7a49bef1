import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../src/fake-graph/index.js';

let fake: FakeGraph;
let base: string;
beforeAll(async () => {
  fake = new FakeGraph({ defaultPageSize: 2 });
  base = await fake.listen();
});
afterAll(async () => {
  await fake.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  let payload: string | undefined;
  if (typeof body === 'string') payload = body;
  else if (body !== undefined) payload = JSON.stringify(body);

  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: 'Bearer user-token', ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: payload,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

function threadsPath(): string {
  const { groupId, conversationId } = fake.store.demo;
  return `/groups/${groupId}/conversations/${encodeURIComponent(conversationId)}/threads`;
}

describe('fake Graph create', () => {
  it('answers 201 with Graph headers and an OData context', async () => {
    const { status, headers, json } = await call('POST', threadsPath(), { topic: 'T', posts: [{ body: { contentType: 'html', content: '<p>Hi <b>there</b></p>' } }] }, { 'client-request-id': 'abc-1' });

    expect(status).toBe(201);
    expect(headers.get('content-type')).toBe('application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8');
    expect(headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers.get('client-request-id')).toBe('abc-1');
    expect(json['@odata.context']).toContain(`conversations('${encodeURIComponent(fake.store.demo.conversationId)}')/threads/$entity`);
    expect(json).toMatchObject({ topic: 'T', preview: 'Hi there', hasAttachments: false, isLocked: false });
    expect(json.id).toMatch(/^AAQk[A-Za-z0-9_-]{102}==$/);
    expect(json.lastDeliveredDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(json).not.toHaveProperty('toRecipients');
  });

  it('echoes request-id as client-request-id when the caller sent none', async () => {
    const { headers } = await call('GET', threadsPath());

    expect(headers.get('client-request-id')).toBe(headers.get('request-id'));
  });

  it.each([
    ['no token', 'POST', () => threadsPath(), { topic: 'x' }, { authorization: '' }, 401, 'InvalidAuthenticationToken'],
    ['an unknown group', 'GET', () => '/groups/22222222-2222-4222-8222-222222222222/threads', undefined, {}, 404, 'Request_ResourceNotFound'],
    ['a malformed group id', 'GET', () => '/groups/not-a-guid/threads', undefined, {}, 400, 'Request_BadRequest'],
    ['a malformed conversation id', 'GET', () => `/groups/${fake.store.demo.groupId}/conversations/bad!id/threads`, undefined, {}, 400, 'ErrorInvalidIdMalformed'],
    ['an unknown conversation', 'GET', () => `/groups/${fake.store.demo.groupId}/conversations/AAQkUnknown=/threads`, undefined, {}, 404, 'ErrorItemNotFound'],
    ['an encoded slash', 'GET', () => `/groups/${fake.store.demo.groupId}/threads/AAQk%2Fx`, undefined, {}, 400, 'RequestBroker--ParseUri'],
    ['an unknown property', 'POST', () => threadsPath(), { subject: 'x' }, {}, 400, 'RequestBodyRead'],
    ['a wrong property type', 'POST', () => threadsPath(), { topic: 5 }, {}, 400, 'RequestBodyRead'],
    ['invalid JSON', 'POST', () => threadsPath(), '{"topic":', {}, 400, 'BadRequest'],
    ['an empty payload', 'POST', () => threadsPath(), '', {}, 400, 'BadRequest'],
    ['an app-only token', 'POST', () => threadsPath(), { topic: 'x' }, { authorization: 'Bearer app-only-token' }, 403, 'ErrorAccessDenied'],
    ['a post to a thread posts collection', 'POST', () => `/groups/${fake.store.demo.groupId}/threads/${fake.store.demo.threadId}/posts`, { body: {} }, {}, 405, 'ErrorInvalidRequest'],
    ['an unknown $select property', 'GET', () => `${threadsPath()}?$select=subject`, undefined, {}, 400, 'BadRequest'],
  ])('answers %s with Graph error envelope', async (_name, method, path, body, headers, status, code) => {
    const response = await call(method as string, (path as () => string)(), body, headers as Record<string, string>);

    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json.error.code).toBe(code);
    expect(response.json.error.innerError['request-id']).toBe(response.headers.get('request-id'));
    expect(response.json.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    if (status === 401) expect(response.headers.get('www-authenticate')).toContain('Bearer');
  });
});

describe('fake Graph reads', () => {
  it('pages with an @odata.nextLink that carries $skip', async () => {
    for (let index = 0; index < 3; index += 1) await call('POST', threadsPath(), { topic: `Page ${index}` });

    const first = await call('GET', threadsPath());
    const next = new URL(first.json['@odata.nextLink']);
    const second = await call('GET', `${next.pathname.replace('/v1.0', '')}${next.search}`);

    expect(first.json.value).toHaveLength(2);
    expect(next.searchParams.get('$skip')).toBe('2');
    expect(second.json.value).toHaveLength(2);
    expect(second.json.value[0].id).not.toBe(first.json.value[0].id);
  });

  it('returns recipients only when selected', async () => {
    const created = await call('POST', threadsPath(), { topic: 'R', toRecipients: [{ emailAddress: { address: 'a@example.com' } }] });
    const path = `/groups/${fake.store.demo.groupId}/threads/${created.json.id}`;

    const plain = await call('GET', path);
    const selected = await call('GET', `${path}?$select=topic,toRecipients`);

    expect(plain.json).not.toHaveProperty('toRecipients');
    expect(selected.json).toMatchObject({ id: created.json.id, topic: 'R', toRecipients: [{ emailAddress: { address: 'a@example.com' } }] });
    expect(selected.json).not.toHaveProperty('preview');
  });
});

describe('fake Graph $batch', () => {
  it('answers each sub-request by id, out of order', async () => {
    const { groupId, threadId } = fake.store.demo;
    const { status, json } = await call('POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: `/groups/${groupId}/threads/${threadId}` },
        { id: '2', method: 'GET', url: `/groups/${groupId}/threads/AAQkUnknown==` },
      ],
    });

    expect(status).toBe(200);
    expect(json.responses.map((response: { id: string }) => response.id)).toEqual(['2', '1']);
    expect(json.responses[0].status).toBe(404);
    expect(json.responses[1]).toMatchObject({ status: 200, body: { id: threadId } });
    expect(fake.calls.filter((entry) => entry.inBatch).length).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['more than 20 requests', Array.from({ length: 21 }, (_, index) => ({ id: String(index), method: 'GET', url: '/groups' }))],
    ['duplicate ids', [{ id: 'a', method: 'GET', url: '/x' }, { id: 'A', method: 'GET', url: '/y' }]],
    ['an absolute url', [{ id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/groups' }]],
    ['a body without headers', [{ id: '1', method: 'POST', url: '/x', body: {} }]],
  ])('rejects a batch with %s as a whole', async (_name, requests) => {
    const { status, json } = await call('POST', '/$batch', { requests });

    expect(status).toBe(400);
    expect(json.error.code).toBe('BadRequest');
  });
});

describe('fake Graph in-process', () => {
  it('serves the same answers through fetch', async () => {
    const local = new FakeGraph();
    const response = await local.fetch(
      new Request(`http://fake.test/v1.0/groups/${local.store.demo.groupId}/threads/${local.store.demo.threadId}`, {
        headers: { authorization: 'Bearer t' },
      }),
    );

    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(local.store.demo.threadId);
    expect(local.calls).toHaveLength(1);
  });
});
