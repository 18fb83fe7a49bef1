import { GUID, looksLikeOutlookId } from './ids.js';
import { graphError, json, type FakeRequest, type FakeResponse } from './http.js';
import { parseNewThread } from './create-body.js';
import type { FakeGroup, FakeStore, FakeThread } from './store.js';

export interface RouteOptions {
  store: FakeStore;
  /** `full`: the created thread's default properties, as the create-thread API page shows; `id-only`: only `@odata.context` and `id`, as the v1.0 example shows. */
  createResponse: 'full' | 'id-only';
  /** How long a new thread stays invisible to reads, like Exchange right after a create. */
  propagationDelayMs: number;
  /** False makes the fake respond 401 InvalidAuthenticationToken for that token. */
  acceptToken: (token: string) => boolean;
  /** Leave recipients out of list pages even when `$select` names them. */
  listOmitsRecipients: boolean;
  /** Page size when the request has no `$top`. */
  defaultPageSize: number;
}

const DEFAULT_PROPERTIES = ['id', 'topic', 'hasAttachments', 'lastDeliveredDateTime', 'uniqueSenders', 'preview', 'isLocked'] as const;
const ALL_PROPERTIES = new Set<string>([...DEFAULT_PROPERTIES, 'toRecipients', 'ccRecipients']);
const MAX_TOP = 50;


export type Result<T> = { ok: true; value: T } | { ok: false; response: FakeResponse };

export function bearer(request: FakeRequest): string | undefined {
  const match = /^Bearer +(\S+)$/i.exec(request.headers.authorization?.trim() ?? '');
  return match?.[1];
}

function checkAuth(request: FakeRequest, options: RouteOptions): FakeResponse | undefined {
  const token = bearer(request);
  let message: string | undefined;
  if (token === undefined) message = 'Access token is empty.';
  else if (!options.acceptToken(token)) message = 'Access token validation failure. Invalid audience.';
  if (message === undefined) return undefined;

  const response = graphError(request, 401, 'InvalidAuthenticationToken', message);
  response.headers['www-authenticate'] =
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';
  return response;
}

function findGroup(request: FakeRequest, options: RouteOptions, id: string): Result<FakeGroup> {
  // ASSUMPTION: the directory's response to a malformed group id. It is not confirmed against a tenant.
  if (!GUID.test(id)) {
    return { ok: false, response: graphError(request, 400, 'Request_BadRequest', `Invalid object identifier '${id}'.`) };
  }
  const group = options.store.group(id);
  if (group === undefined) {
    return {
      ok: false,
      response: graphError(
        request,
        404,
        'Request_ResourceNotFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      ),
    };
  }
  return { ok: true, value: group };
}

function notFoundInStore(request: FakeRequest): FakeResponse {
  return graphError(request, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

function malformedId(request: FakeRequest): FakeResponse {
  return graphError(request, 400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
}

function readSelect(request: FakeRequest, query: URLSearchParams): Result<Set<string> | undefined> {
  const raw = query.get('$select');
  if (raw === null) return { ok: true, value: undefined };

  const names = raw.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.find((name) => !ALL_PROPERTIES.has(name));
  if (unknown !== undefined) {
    return {
      ok: false,
      response: graphError(request, 400, 'BadRequest', `Could not find a property named '${unknown}' on type 'microsoft.graph.conversationThread'.`),
    };
  }
  return { ok: true, value: new Set(['id', ...names]) };
}

function render(thread: FakeThread, select: Set<string> | undefined, omitRecipients = false): Record<string, unknown> {
  const names = select ?? new Set<string>(DEFAULT_PROPERTIES);
  const body: Record<string, unknown> = {};
  for (const name of ['id', 'topic', 'toRecipients', 'ccRecipients', 'hasAttachments', 'lastDeliveredDateTime', 'uniqueSenders', 'preview', 'isLocked'] as const) {
    if (!names.has(name)) continue;
    if (omitRecipients && (name === 'toRecipients' || name === 'ccRecipients')) continue;
    body[name] = thread[name];
  }
  return body;
}

function contextUrl(request: FakeRequest, groupId: string, conversationId: string | undefined, suffix: string): string {
  const conversation = conversationId === undefined ? '' : `/conversations('${encodeURIComponent(conversationId)}')`;
  return `${request.origin}/v1.0/$metadata#groups('${groupId}')${conversation}/threads${suffix}`;
}

function createThread(
  request: FakeRequest,
  options: RouteOptions,
  group: FakeGroup,
  /** The conversation's id, or a function that starts a new conversation once the body is valid. */
  conversation: string | ((topic: string | undefined) => string),
): FakeResponse {
  const token = bearer(request)!;
  // ASSUMPTION: the fake treats tokens starting "app-only" as application tokens, which Graph
  // refuses for this delegated-only operation.
  if (token.startsWith('app-only')) {
    return graphError(request, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  }

  const parsed = parseNewThread(request);
  if (!parsed.ok) return parsed.response;

  const conversationId = typeof conversation === 'string' ? conversation : conversation(parsed.value.topic);
  const thread = options.store.addThread(group.id, conversationId, parsed.value, token, undefined, options.propagationDelayMs);
  const context = contextUrl(request, group.id, typeof conversation === 'string' ? conversationId : undefined, '/$entity');
  const body = options.createResponse === 'id-only' ? { id: thread.id } : render(thread, undefined);
  return json(request, 201, { '@odata.context': context, ...body });
}

function listThreads(
  request: FakeRequest,
  options: RouteOptions,
  group: FakeGroup,
  conversationId: string | undefined,
  query: URLSearchParams,
  path: string,
): FakeResponse {
  const select = readSelect(request, query);
  if (!select.ok) return select.response;

  const rawTop = query.get('$top');
  const rawSkip = query.get('$skip');
  if ((rawTop !== null && !/^\d+$/.test(rawTop)) || (rawSkip !== null && !/^\d+$/.test(rawSkip))) {
    return graphError(request, 400, 'BadRequest', 'Invalid $top or $skip value: a non-negative integer is expected.');
  }
  const top = Math.min(rawTop === null ? options.defaultPageSize : Number(rawTop), MAX_TOP);
  const skip = rawSkip === null ? 0 : Number(rawSkip);

  const all = options.store.listThreads(group.id, conversationId);
  const page = all.slice(skip, skip + top);
  const body: Record<string, unknown> = {
    '@odata.context': contextUrl(request, group.id, conversationId, ''),
    value: page.map((thread) => render(thread, select.value, options.listOmitsRecipients)),
  };
  if (skip + top < all.length) {
    const next = new URLSearchParams(query);
    next.set('$top', String(top));
    next.set('$skip', String(skip + top));
    body['@odata.nextLink'] = `${request.origin}${path}?${next.toString()}`;
  }
  return json(request, 200, body);
}

function getThread(request: FakeRequest, options: RouteOptions, group: FakeGroup, conversationId: string | undefined, threadId: string, query: URLSearchParams): FakeResponse {
  if (!looksLikeOutlookId(threadId)) return malformedId(request);

  const select = readSelect(request, query);
  if (!select.ok) return select.response;

  const thread = group.threads.get(threadId);
  if (thread === undefined || thread.visibleAt > Date.now()) return notFoundInStore(request);
  if (conversationId !== undefined && thread.conversationId !== conversationId) return notFoundInStore(request);

  return json(request, 200, {
    '@odata.context': contextUrl(request, group.id, conversationId, '/$entity'),
    ...render(thread, select.value),
  });
}

/** Handle one request below `/v1.0` other than `$batch`. */
export function route(request: FakeRequest, options: RouteOptions): FakeResponse {
  const [rawPath = '', rawQuery = ''] = request.target.split('?', 2);
  if (!rawPath.startsWith('/v1.0/')) {
    return graphError(request, 400, 'BadRequest', 'Invalid version: the request path must start with /v1.0/.');
  }

  const rawSegments = rawPath.slice('/v1.0/'.length).split('/');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return graphError(request, 400, 'BadRequest', `Resource not found for the segment '${raw}'.`);
    }
    // Graph's front door rejects an encoded slash inside a segment (observed for Outlook ids).
    if (/%2f/i.test(raw)) {
      return graphError(request, 400, 'RequestBroker--ParseUri', `Resource not found for the segment '${decoded}'.`);
    }
    segments.push(decoded);
  }

  const unauthorized = checkAuth(request, options);
  if (unauthorized) return unauthorized;

  const query = new URLSearchParams(rawQuery);
  const method = request.method.toUpperCase();
  const [root, groupId, collection, id, sub, subId, tail] = segments;
  if (root !== 'groups' || groupId === undefined || (collection !== 'threads' && collection !== 'conversations')) {
    const unknown = segments.find((segment, index) => index === 0 ? segment !== 'groups' : index === 2) ?? segments.at(-1) ?? '';
    return graphError(request, 400, 'BadRequest', `Resource not found for the segment '${unknown}'.`);
  }

  const group = findGroup(request, options, groupId);
  if (!group.ok) return group.response;

  const notSupported = () => graphError(request, 405, 'ErrorInvalidRequest', 'The OData request is not supported.');

  if (collection === 'threads') {
    if (id === undefined) {
      if (method === 'GET') return listThreads(request, options, group.value, undefined, query, rawPath);
      if (method !== 'POST') return notSupported();
      const startConversation = (topic: string | undefined) => options.store.addConversation(group.value.id, topic ?? '').id;
      return createThread(request, options, group.value, startConversation);
    }
    if (sub === undefined && method === 'GET') return getThread(request, options, group.value, undefined, id, query);
    return notSupported();
  }

  if (id === undefined || sub !== 'threads') {
    return graphError(request, 400, 'BadRequest', `Resource not found for the segment '${sub ?? collection}'.`);
  }
  if (!looksLikeOutlookId(id)) return malformedId(request);
  const conversation = group.value.conversations.get(id);
  if (conversation === undefined) return notFoundInStore(request);

  if (subId === undefined) {
    if (method === 'GET') return listThreads(request, options, group.value, conversation.id, query, rawPath);
    if (method === 'POST') return createThread(request, options, group.value, conversation.id);
    return notSupported();
  }
  if (tail === undefined && method === 'GET') return getThread(request, options, group.value, conversation.id, subId, query);
  return notSupported();
}
