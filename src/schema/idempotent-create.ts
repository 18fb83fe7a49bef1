import { createHash, randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { GraphApiError, GraphTransportError } from '../graph/errors.js';
import type { ThreadData } from '../graph/threads.js';
import type { WireNewThread } from '../graph/wire.js';
import { deliveredBefore, isRecognisable, matchesSentThread } from '../idempotency/match.js';
import type { IdempotencyRecord, PendingRecord } from '../idempotency/store.js';
import { ErrorCode } from './errors.js';

export interface CreateRequest {
  groupId: string;
  conversationId: string;
  body: WireNewThread;
}

/**
 * Pages of the conversation's threads, newest first, searched for a thread whose create had an
 * unknown outcome. The search stops early at threads delivered before the first send.
 */
const RECOVERY_PAGES = 20;
const RECOVERY_PAGE_SIZE = 50;

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

/** True when a failed create may still have created the thread. */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof GraphApiError) return error.status >= 500;
  return error instanceof GraphTransportError && error.mayHaveReachedGraph;
}

function storeError(cause: unknown): GraphQLError {
  return new GraphQLError('The idempotency store is unavailable, so the thread was not created. Try again shortly.', {
    extensions: { code: ErrorCode.idempotencyStoreUnavailable, outcomeUnknown: false },
    originalError: cause instanceof Error ? cause : undefined,
  });
}

/**
 * Create a thread at most once per caller and idempotency key. The first request under a key
 * claims it and creates the thread. A repeat with the same input gets the stored thread, waits
 * while the first request runs, or, after a create whose outcome is unknown, looks for the thread
 * in the conversation before creating it again. The same key with another input is a conflict.
 */
export async function createThreadOnce(context: GatewayContext, request: CreateRequest, idempotencyKey: string): Promise<ThreadData> {
  const settings = context.idempotency;
  const api = context.threads();
  const key = hash(await api.credentialScope(), idempotencyKey);
  const fingerprint = hash(request.groupId.toLowerCase(), request.conversationId, JSON.stringify(request.body));
  const deadline = context.now() + settings.leaseMs * 2;

  const guarded = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      throw storeError(error);
    }
  };

  /** Send the create as `owner` and record what came of it; nothing is recorded as failed but a certain failure, which frees the key. */
  const attempt = async (owner: string, firstSentAt: number): Promise<ThreadData> => {
    try {
      const thread = await api.create(request.groupId, request.conversationId, request.body);
      const done: IdempotencyRecord = { state: 'succeeded', fingerprint, owner, groupId: request.groupId, conversationId: request.conversationId, thread };
      await guarded(() => settings.store.replace(key, owner, done, settings.ttlMs));
      return thread;
    } catch (error) {
      const next: IdempotencyRecord | null = outcomeUnknown(error) ? { state: 'unknown', fingerprint, owner, firstSentAt } : null;
      await settings.store.replace(key, owner, next, settings.ttlMs).catch((storeFailure: unknown) => {
        context.logger.error({ err: storeFailure }, 'failed to record the outcome of a create in the idempotency store');
      });
      throw error;
    }
  };

  /**
   * Look for a thread that an earlier create under this key may have made. Returns `searched: false`
   * when the conversation has more recent threads than the search reads, so absence is not proven.
   */
  const find = async (firstSentAt: number): Promise<{ thread?: ThreadData; searched: boolean }> => {
    let page = await api.list(request.groupId, request.conversationId, RECOVERY_PAGE_SIZE);
    for (let pages = 1; ; pages += 1) {
      const match = page.threads.find((thread) => matchesSentThread(thread, request.body, firstSentAt));
      if (match !== undefined) return { thread: match, searched: true };
      if (page.next === undefined || page.threads.some((thread) => deliveredBefore(thread, firstSentAt))) return { searched: true };
      if (pages >= RECOVERY_PAGES) return { searched: false };
      page = await api.list(request.groupId, request.conversationId, RECOVERY_PAGE_SIZE, page.next);
    }
  };

  const unknownOutcome = async (owner: string, firstSentAt: number, reason: string): Promise<never> => {
    await settings.store.replace(key, owner, { state: 'unknown', fingerprint, owner, firstSentAt }, settings.ttlMs).catch(() => undefined);
    throw new GraphQLError(`An earlier request with this idempotencyKey may have created the thread, and ${reason}. List the conversation's threads to check before sending a new key.`, {
      extensions: { code: ErrorCode.outcomeUnknown, outcomeUnknown: true },
    });
  };

  /** Take over an unknown outcome: find the thread, or create it once Graph had time to show it. */
  const recover = async (owner: string, firstSentAt: number): Promise<ThreadData> => {
    if (!isRecognisable(request.body)) {
      return unknownOutcome(owner, firstSentAt, 'without a topic or post text it cannot be recognised');
    }

    // Graph may show a new thread only a few seconds after creating it, so look again until then.
    for (;;) {
      let found: Awaited<ReturnType<typeof find>>;
      try {
        found = await find(firstSentAt);
      } catch (error) {
        await settings.store.replace(key, owner, { state: 'unknown', fingerprint, owner, firstSentAt }, settings.ttlMs).catch(() => undefined);
        throw error;
      }
      if (found.thread !== undefined) {
        const done: IdempotencyRecord = { state: 'succeeded', fingerprint, owner, groupId: request.groupId, conversationId: request.conversationId, thread: found.thread };
        await guarded(() => settings.store.replace(key, owner, done, settings.ttlMs));
        return found.thread;
      }
      if (!found.searched) {
        return unknownOutcome(owner, firstSentAt, `the ${RECOVERY_PAGES * RECOVERY_PAGE_SIZE} newest threads of the conversation do not include it`);
      }
      const settledAt = firstSentAt + settings.settleMs;
      if (context.now() >= settledAt) break;
      await context.sleep(Math.min(settledAt - context.now(), settings.pollMs * 10));
    }
    context.logger.warn({ clientRequestId: context.clientRequestId }, 'no thread found after a create with an unknown outcome; creating it again');
    return attempt(owner, firstSentAt);
  };

  for (let polls = 0; ; polls += 1) {
    const owner = randomUUID();
    const now = context.now();
    const pending: PendingRecord = { state: 'pending', fingerprint, owner, leaseUntil: now + settings.leaseMs, firstSentAt: now };
    const existing = await guarded(() => settings.store.claim(key, pending, settings.ttlMs));
    if (existing === undefined) return attempt(owner, now);

    if (existing.fingerprint !== fingerprint) {
      throw new GraphQLError(
        'This idempotencyKey was already used with a different input. Use a new key for a new thread, or resend the original input.',
        { extensions: { code: ErrorCode.idempotencyConflict } },
      );
    }
    if (existing.state === 'succeeded') return existing.thread;

    if (existing.state === 'pending' && existing.leaseUntil > now) {
      if (now > deadline) {
        throw new GraphQLError('An earlier request with this idempotencyKey is still running. Try again shortly with the same key.', {
          extensions: { code: ErrorCode.idempotencyInProgress, outcomeUnknown: true },
        });
      }
      await context.sleep(Math.min(settings.pollMs * 2 ** Math.min(polls, 4), existing.leaseUntil - now));
      continue;
    }

    // An unknown outcome, or a running request whose lease ran out (its gateway may have stopped
    // after sending). Take the record over, so only one request looks for the thread.
    const takeover: PendingRecord = { ...pending, firstSentAt: existing.firstSentAt };
    if (await guarded(() => settings.store.replace(key, existing.owner, takeover, settings.ttlMs))) {
      return recover(owner, existing.firstSentAt);
    }
  }
}
