import type { Credential } from './auth.js';
import type { GraphCall, GraphClient, GraphResult } from './client.js';
import { GraphApiError, GraphTransportError } from './errors.js';
import { groupSegment, outlookSegment } from './ids.js';
import {
  THREAD_PROPERTIES,
  wireBatchResponse,
  wireErrorEnvelope,
  wireThread,
  wireThreadPage,
  type WireNewThread,
  type WireThread,
} from './wire.js';
import { parseRetryAfter } from './retry.js';

/** A thread as the adapter returns it. A property that Graph left out of its response is absent. */
export type ThreadData = WireThread;

export interface ThreadKey {
  groupId: string;
  threadId: string;
}

/** The state every call of one GraphQL request shares: its credential, correlation ids and cancellation. */
export interface RequestScope {
  /** Resolves this request's Graph credential; called before each upstream call. */
  credential: () => Promise<Credential>;
  clientRequestId: string;
  traceparent?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** The start of a page of a thread list: Graph's `$skiptoken` or `$skip` from `@odata.nextLink`. */
export interface PageToken {
  skiptoken?: string;
  skip?: number;
}

export interface ThreadPage {
  threads: ThreadData[];
  next: PageToken | undefined;
}

/** Graph's limit of sub-requests in one JSON batch. */
export const MAX_BATCH_SIZE = 20;

const SELECT_ALL = `$select=${THREAD_PROPERTIES.join(',')}`;

function threadPath(key: ThreadKey): string {
  return `/groups/${groupSegment('groupId', key.groupId)}/threads/${outlookSegment('id', key.threadId)}`;
}

function threadsPath(groupId: string, conversationId: string | undefined): string {
  const group = `/groups/${groupSegment('groupId', groupId)}`;
  if (conversationId === undefined) return `${group}/threads`;
  return `${group}/conversations/${outlookSegment('conversationId', conversationId)}/threads`;
}

/**
 * The thread operations of Microsoft Graph for one GraphQL request. Ids are checked and encoded
 * as single path segments here, so no caller builds URLs.
 */
export class ThreadsApi {
  constructor(
    private readonly client: GraphClient,
    private readonly scope: RequestScope,
  ) {}

  /**
   * Send one call with this request's credential, limited to the group's mailbox. A 401 from Graph
   * invalidates the credential, so a cached On-Behalf-Of token that Graph rejected is exchanged
   * afresh by the next request.
   */
  private async send(operation: string, method: 'GET' | 'POST', path: string, mailbox: string, body?: unknown): Promise<GraphResult> {
    const credential = await this.scope.credential();
    const call: GraphCall = {
      operation,
      method,
      path,
      body,
      // Only the create changes anything; the batch POST carries reads only.
      idempotent: operation !== 'createThread',
      mailbox,
      token: credential.token,
      clientRequestId: this.scope.clientRequestId,
      traceparent: this.scope.traceparent,
      signal: this.scope.signal,
    };

    try {
      return await this.client.request(call);
    } catch (error) {
      if (error instanceof GraphApiError && error.status === 401) credential.invalidate();
      throw error;
    }
  }

  /** Return the caller's identity for idempotency keys, never the token itself. */
  async credentialScope(): Promise<string> {
    return (await this.scope.credential()).scope;
  }

  /** Log a failure that came inside a 2xx response; `client.send` logs the failures it raises itself. */
  private fail<E extends GraphApiError | GraphTransportError>(error: E): E {
    this.client.reportFailure(this.scope, error);
    return error;
  }

  private parseThread(operation: string, body: unknown): ThreadData {
    const parsed = wireThread.safeParse(body);
    if (parsed.success) return parsed.data;

    throw this.fail(new GraphTransportError({
      operation,
      failure: 'bad-response',
      mayHaveReachedGraph: true,
      message: `${operation} failed: Microsoft Graph's response is not a conversationThread (${parsed.error.issues[0]?.message ?? 'unknown shape'}).`,
    }));
  }

  /** POST a new thread to a conversation. Sent once: this method never replays the request. */
  async create(groupId: string, conversationId: string, thread: WireNewThread): Promise<ThreadData> {
    const path = threadsPath(groupId, conversationId);
    const result = await this.send('createThread', 'POST', path, groupId, thread);
    return this.parseThread('createThread', result.body);
  }

  /** GET one thread with all its properties; null when Graph does not know it (404). */
  async get(key: ThreadKey): Promise<ThreadData | null> {
    try {
      const result = await this.send('getThread', 'GET', `${threadPath(key)}?${SELECT_ALL}`, key.groupId);
      return this.parseThread('getThread', result.body);
    } catch (error) {
      if (error instanceof GraphApiError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * Read up to 20 threads of one group in one Graph `$batch` call. Returns one slot per key, in key order:
   * the thread, null for a 404, or the error of that sub-request. Sub-responses are matched by
   * their `id`, never by position, because Graph returns them in any order.
   */
  async getMany(keys: readonly ThreadKey[]): Promise<Array<ThreadData | null | Error>> {
    if (keys.length > MAX_BATCH_SIZE) throw new RangeError(`a $batch may contain at most ${MAX_BATCH_SIZE} requests`);
    const groupId = keys[0]?.groupId ?? '';
    if (keys.some((key) => key.groupId.toLowerCase() !== groupId.toLowerCase())) {
      throw new RangeError('a $batch of getMany reads one group only');
    }

    const requests = keys.map((key, index) => ({
      id: String(index + 1),
      method: 'GET',
      url: `${threadPath(key)}?${SELECT_ALL}`,
    }));
    const result = await this.send('getThreadsBatch', 'POST', '/$batch', groupId, { requests });
    const parsed = wireBatchResponse.safeParse(result.body);
    if (!parsed.success) {
      throw this.fail(new GraphTransportError({
        operation: 'getThreadsBatch',
        failure: 'bad-response',
        mayHaveReachedGraph: true,
        requestId: result.requestId,
        message: 'getThreadsBatch failed: Microsoft Graph\'s $batch response has no valid "responses" array.',
      }));
    }

    const byId = new Map(parsed.data.responses.map((response) => [response.id.toLowerCase(), response]));
    return requests.map((request) => {
      const response = byId.get(request.id);
      if (response === undefined) {
        return this.fail(new GraphTransportError({
          operation: 'getThread',
          failure: 'bad-response',
          mayHaveReachedGraph: true,
          requestId: result.requestId,
          message: `getThread failed: Microsoft Graph's $batch response has nothing for sub-request ${request.id}.`,
        }));
      }
      if (response.status >= 200 && response.status < 300) {
        try {
          return this.parseThread('getThread', response.body);
        } catch (error) {
          return error as Error;
        }
      }
      if (response.status === 404) return null;

      const headers = Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      );
      const envelope = wireErrorEnvelope.safeParse(response.body);
      return this.fail(new GraphApiError({
        operation: 'getThread',
        status: response.status,
        code: envelope.success ? envelope.data.error.code : 'UnknownError',
        graphMessage: envelope.success ? envelope.data.error.message : 'The $batch sub-response carried no error body.',
        requestId: headers['request-id'] ?? (envelope.success ? envelope.data.error.innerError?.['request-id'] : undefined) ?? result.requestId,
        clientRequestId: this.scope.clientRequestId,
        retryAfterSeconds: parseRetryAfter(headers['retry-after'], Date.now()),
      }));
    });
  }

  /** GET one page of a group's or a conversation's threads. */
  async list(groupId: string, conversationId: string | undefined, top: number, start?: PageToken): Promise<ThreadPage> {
    const path = threadsPath(groupId, conversationId);
    const query = new URLSearchParams({ $top: String(top) });
    if (start?.skiptoken !== undefined) query.set('$skiptoken', start.skiptoken);
    if (start?.skip !== undefined) query.set('$skip', String(start.skip));
    const search = `${query.toString()}&${SELECT_ALL}`;

    const result = await this.send('listThreads', 'GET', `${path}?${search}`, groupId);
    const parsed = wireThreadPage.safeParse(result.body);
    if (!parsed.success) {
      throw this.fail(new GraphTransportError({
        operation: 'listThreads',
        failure: 'bad-response',
        mayHaveReachedGraph: true,
        requestId: result.requestId,
        message: 'listThreads failed: Microsoft Graph\'s response is not a list of conversationThreads.',
      }));
    }
    return { threads: parsed.data.value, next: readNextLink(parsed.data['@odata.nextLink']) };
  }
}

/**
 * Keep only the paging position of Graph's `@odata.nextLink`. The link itself is never followed
 * or handed out, so no URL from a response can redirect the gateway's calls or leak to clients.
 */
function readNextLink(nextLink: string | undefined): PageToken | undefined {
  if (nextLink === undefined) return undefined;

  let url: URL;
  try {
    url = new URL(nextLink);
  } catch {
    return undefined;
  }
  const skiptoken = url.searchParams.get('$skiptoken') ?? undefined;
  const rawSkip = url.searchParams.get('$skip');
  const skip = rawSkip !== null && /^\d+$/.test(rawSkip) ? Number(rawSkip) : undefined;
  if (skiptoken === undefined && skip === undefined) return undefined;

  return skiptoken !== undefined ? { skiptoken } : { skip: skip! };
}
