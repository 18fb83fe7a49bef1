import { graphError, type FakeRequest } from './http.js';
import type { Result } from './routes.js';
import type { FakePost, FakeRecipient } from './store.js';

const THREAD_PROPERTIES = new Set(['id', 'topic', 'toRecipients', 'ccRecipients', 'hasAttachments', 'lastDeliveredDateTime', 'uniqueSenders', 'preview', 'isLocked', 'posts']);
const POST_PROPERTIES = new Set(['body', 'newParticipants', 'from', 'sender', 'categories']);

const UNREADABLE_PAYLOAD =
  'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';

function isRecipientList(value: unknown): value is FakeRecipient[] {
  return (
    Array.isArray(value) &&
    value.every((item) => {
      if (typeof item !== 'object' || item === null) return false;
      const email = (item as FakeRecipient).emailAddress;
      if (email === undefined || email === null) return true;
      return (
        typeof email === 'object' &&
        (email.name === undefined || email.name === null || typeof email.name === 'string') &&
        (email.address === undefined || email.address === null || typeof email.address === 'string')
      );
    })
  );
}

/** Build Graph's response to the first property of `record` that `type` does not define; OData annotations pass. */
function unknownProperty(request: FakeRequest, record: Record<string, unknown>, known: Set<string>, type: string): Result<never> | undefined {
  const key = Object.keys(record).find((name) => !name.startsWith('@odata.') && !known.has(name));
  if (key === undefined) return undefined;

  return {
    ok: false,
    response: graphError(
      request,
      400,
      'RequestBodyRead',
      `The property '${key}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    ),
  };
}

function mismatch(request: FakeRequest, property: string): Result<never> {
  return {
    ok: false,
    response: graphError(request, 400, 'RequestBodyRead', `Property ${property} in payload has a value that does not match schema.`),
  };
}

export interface ParsedThread {
  topic?: string;
  toRecipients?: FakeRecipient[];
  ccRecipients?: FakeRecipient[];
  isLocked?: boolean;
  posts: FakePost[];
}

/**
 * Read a create-thread body the way Graph's OData reader does: JSON only, known properties only,
 * each of its declared type. Computed properties (id, hasAttachments, lastDeliveredDateTime,
 * uniqueSenders, preview) are accepted and ignored.
 * ASSUMPTION: Graph ignores those computed properties on create, and it accepts a thread without
 * posts, as the create-thread API page's example shows. Neither is confirmed against a tenant.
 */
export function parseNewThread(request: FakeRequest): Result<ParsedThread> {
  const contentType = request.headers['content-type'] ?? '';
  if (request.body.trim() === '') {
    return { ok: false, response: graphError(request, 400, 'BadRequest', 'Empty Payload. JSON content expected.') };
  }
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return { ok: false, response: graphError(request, 400, 'BadRequest', UNREADABLE_PAYLOAD) };
  }

  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return { ok: false, response: graphError(request, 400, 'BadRequest', UNREADABLE_PAYLOAD) };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, response: graphError(request, 400, 'BadRequest', UNREADABLE_PAYLOAD) };
  }

  const record = body as Record<string, unknown>;
  const unknownThreadProperty = unknownProperty(request, record, THREAD_PROPERTIES, 'conversationThread');
  if (unknownThreadProperty) return unknownThreadProperty;

  const parsed: ParsedThread = { posts: [] };
  if (record.topic !== undefined && record.topic !== null) {
    if (typeof record.topic !== 'string') return mismatch(request, 'topic');
    parsed.topic = record.topic;
  }
  for (const name of ['toRecipients', 'ccRecipients'] as const) {
    if (record[name] === undefined || record[name] === null) continue;
    if (!isRecipientList(record[name])) return mismatch(request, name);
    parsed[name] = record[name];
  }
  if (record.isLocked !== undefined && record.isLocked !== null) {
    if (typeof record.isLocked !== 'boolean') return mismatch(request, 'isLocked');
    parsed.isLocked = record.isLocked;
  }
  for (const name of ['hasAttachments'] as const) {
    if (record[name] !== undefined && record[name] !== null && typeof record[name] !== 'boolean') return mismatch(request, name);
  }
  if (record.posts !== undefined && record.posts !== null) {
    if (!Array.isArray(record.posts)) return mismatch(request, 'posts');
    for (const post of record.posts as unknown[]) {
      const parsedPost = parsePost(request, post);
      if (!parsedPost.ok) return parsedPost;
      parsed.posts.push(parsedPost.value);
    }
  }
  return { ok: true, value: parsed };
}

function parsePost(request: FakeRequest, post: unknown): Result<FakePost> {
  if (typeof post !== 'object' || post === null || Array.isArray(post)) return mismatch(request, 'posts');

  const record = post as Record<string, unknown>;
  const unknownPostProperty = unknownProperty(request, record, POST_PROPERTIES, 'post');
  if (unknownPostProperty) return unknownPostProperty;

  const body = record.body as { contentType?: unknown; content?: unknown } | undefined;
  if (typeof body !== 'object' || body === null) return mismatch(request, 'body');
  const contentType = typeof body.contentType === 'string' ? body.contentType.toLowerCase() : 'text';
  if (contentType !== 'text' && contentType !== 'html') {
    return {
      ok: false,
      response: graphError(request, 400, 'RequestBodyRead', `Cannot convert the literal '${String(body.contentType)}' to the expected type 'microsoft.graph.bodyType'.`),
    };
  }
  if (body.content !== undefined && typeof body.content !== 'string') return mismatch(request, 'content');

  const newParticipants = record.newParticipants ?? [];
  if (!isRecipientList(newParticipants)) return mismatch(request, 'newParticipants');
  return { ok: true, value: { contentType, content: (body.content as string | undefined) ?? '', newParticipants } };
}
