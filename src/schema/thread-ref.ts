import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { ThreadData } from '../graph/threads.js';
import { ErrorCode, toGraphQLError } from './errors.js';

/**
 * The source a `ConversationThread` resolves from: its key, the properties Graph already returned,
 * and, once a selected field needs more, the one read of the whole thread through the request's loader.
 */
export interface ThreadRef {
  groupId: string;
  id: string;
  conversationId: string | null;
  /** Properties from Graph's response so far; a property Graph left out is absent. */
  known: Partial<ThreadData>;
  /** Right after a create Graph may not find the thread yet, so a 404 on the read is retried briefly. */
  justCreated?: boolean;
  details?: Promise<ThreadData>;
}

/** Waits before each new read of a thread that Graph did not find right after its create. */
export const READ_AFTER_CREATE_DELAYS_MS = [250, 500, 1000, 2000];

async function readDetails(ref: ThreadRef, context: GatewayContext): Promise<ThreadData> {
  const loader = context.threadLoader();
  const key = { groupId: ref.groupId, threadId: ref.id };
  const delays = ref.justCreated ? READ_AFTER_CREATE_DELAYS_MS : [];

  for (let attempt = 0; ; attempt += 1) {
    const thread = await loader.load(key).catch((error: unknown) => {
      throw toGraphQLError(error);
    });
    if (thread !== null) return thread;

    const delay = delays[attempt];
    if (delay === undefined) break;
    loader.clear(key);
    await context.sleep(delay);
  }

  throw new GraphQLError(`Thread ${JSON.stringify(ref.id)} was not found in group ${ref.groupId}.`, {
    extensions: { code: ErrorCode.graphError, graphCode: 'ErrorItemNotFound', status: 404 },
  });
}

/** Resolve one property: from Graph's earlier response when it had it, otherwise from one batched read. */
export async function threadProperty<K extends keyof ThreadData>(
  ref: ThreadRef,
  name: K,
  context: GatewayContext,
): Promise<ThreadData[K] | null> {
  if (name in ref.known) return ref.known[name] ?? null;

  ref.details ??= readDetails(ref, context);
  const details = await ref.details;
  return details[name] ?? null;
}

export function refFromThread(groupId: string, conversationId: string | null, thread: Partial<ThreadData> & { id: string }): ThreadRef {
  return { groupId, id: thread.id, conversationId, known: thread };
}
