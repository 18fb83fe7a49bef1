import { isDeepStrictEqual } from 'node:util';
import type { Target } from './load.js';

/** The bench fake's URL and seeded ids, from its `ready` message. */
export interface FakeInfo {
  url: string;
  groupId: string;
  loadConversationId: string;
  readConversationId: string;
  readThreadIds: string[];
}

const TOKEN = 'bench-user-token';
const TOPIC = 'Benchmark thread';
const RECIPIENTS = [{ emailAddress: { name: 'Bench Reader', address: 'bench.reader@example.com' } }];
const CONTENT = '<p>Benchmark post</p>';

const THREAD_FIELDS = 'id topic toRecipients { emailAddress { name address } } lastDeliveredDateTime isLocked';

/** Build the create-thread call to the fake, as a client without the gateway would send it. */
export function directCreate(fake: FakeInfo): Target {
  return {
    url: `${fake.url}/groups/${fake.groupId}/conversations/${encodeURIComponent(fake.loadConversationId)}/threads`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ topic: TOPIC, toRecipients: RECIPIENTS, posts: [{ body: { contentType: 'html', content: CONTENT } }] }),
  };
}

/**
 * Build `addThread` through the gateway. With `recipients`, the thread's selection is the
 * benchmark's full one. Graph's create response lacks recipients, so the gateway reads the thread
 * once more. Without it, the selection leaves out `toRecipients` and needs only the create call.
 */
export function gatewayCreate(gatewayUrl: string, fake: FakeInfo, recipients: boolean): Target {
  const fields = recipients ? THREAD_FIELDS : THREAD_FIELDS.replace(' toRecipients { emailAddress { name address } }', '');
  const query = `mutation Bench($input: AddThreadInput!) { addThread(input: $input) { __typename ... on AddThreadSuccess { thread { ${fields} } } ... on ValidationError { message } ... on GraphError { code message } } }`;
  const input = {
    groupId: fake.groupId,
    conversationId: fake.loadConversationId,
    topic: TOPIC,
    toRecipients: RECIPIENTS,
    posts: [{ body: { contentType: 'HTML', content: CONTENT } }],
  };
  return { url: gatewayUrl, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ query, variables: { input } }) };
}

/** Build a federation router's `_entities` query for every seeded thread of the read conversation. */
export function gatewayEntities(gatewayUrl: string, fake: FakeInfo): Target {
  const query = `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on ConversationThread { ${THREAD_FIELDS} preview } } }`;
  const representations = fake.readThreadIds.map((id) => ({ __typename: 'ConversationThread', groupId: fake.groupId, id }));
  return { url: gatewayUrl, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ query, variables: { representations } }) };
}

/**
 * Build the query of one page of 50 threads with every detail after the cursor `after`. `first` is a
 * variable, because graphql-armor's cost limit multiplies a literal `first: 50` into the cost and rejects it.
 */
export function gatewayListPage(gatewayUrl: string, fake: FakeInfo, after: string | null): Target {
  const query = `query List($groupId: ID!, $conversationId: ID!, $first: Int, $after: String) { threads(groupId: $groupId, conversationId: $conversationId, first: $first, after: $after) { edges { node { ${THREAD_FIELDS} preview } } pageInfo { hasNextPage endCursor } } }`;
  const variables = { groupId: fake.groupId, conversationId: fake.readConversationId, first: 50, after };
  return { url: gatewayUrl, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ query, variables }) };
}

type Json = Record<string, any>;

/** Return why a direct create response is wrong, or undefined when it is right. */
export function checkDirect(status: number, body: unknown): string | undefined {
  const thread = body as Json;
  if (status !== 201) return `expected 201, got ${status}: ${JSON.stringify(body).slice(0, 300)}`;
  if (typeof thread.id !== 'string' || thread.topic !== TOPIC) return `unexpected thread ${JSON.stringify(body).slice(0, 300)}`;
  return undefined;
}

/** Return why an `addThread` response is wrong, or undefined when it is right. */
export function checkGatewayCreate(status: number, body: unknown, recipients: boolean): string | undefined {
  const result = (body as Json)?.data?.addThread;
  const thread = result?.thread;
  if (status !== 200 || result?.__typename !== 'AddThreadSuccess') return `expected AddThreadSuccess, got ${status}: ${JSON.stringify(body).slice(0, 300)}`;
  if (typeof thread.id !== 'string' || thread.topic !== TOPIC || thread.isLocked !== false || typeof thread.lastDeliveredDateTime !== 'string') {
    return `unexpected thread ${JSON.stringify(thread)}`;
  }
  if (recipients && !isDeepStrictEqual(thread.toRecipients, RECIPIENTS)) return `unexpected toRecipients ${JSON.stringify(thread.toRecipients)}`;
  return undefined;
}

/** Return why a read of the 100 seeded threads is wrong, or undefined when it is right. */
export function checkReads(status: number, threads: Json[] | undefined, bodies: unknown[]): string | undefined {
  const body = bodies.find((one) => (one as Json)?.errors !== undefined) ?? bodies[0];
  if (status !== 200 || (body as Json)?.errors !== undefined || threads === undefined) return `expected data without errors, got ${status}: ${JSON.stringify(body).slice(0, 300)}`;
  const ids = new Set(threads.map((thread) => thread?.id));
  if (ids.size !== 100) return `expected 100 distinct threads, got ${ids.size}`;
  const incomplete = threads.find((thread) => !/^Seeded thread \d+$/.test(thread.topic) || thread.toRecipients?.length !== 1);
  return incomplete === undefined ? undefined : `incomplete thread ${JSON.stringify(incomplete)}`;
}
