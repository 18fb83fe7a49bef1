import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import type { GraphApiError } from './errors.js';
import { readRetryDelayMs } from './read-retry.js';
import { MAX_BATCH_SIZE, type ThreadData, type ThreadKey, type ThreadsApi } from './threads.js';

export type ThreadLoader = DataLoader<ThreadKey, ThreadData | null, string>;

export interface ThreadLoaderOptions {
  /** Waits before a retry. Tests pass one that returns at once. */
  sleep: (ms: number) => Promise<void>;
  /** Total milliseconds that the retries of one batch may wait. A wait that would exceed it is skipped. */
  retryBudgetMs: number;
  logger: Logger;
}

/** One key's outcome: the thread, null when Graph does not know it, or the error of its read. */
type Slot = ThreadData | null | Error;

/**
 * Create the loader of threads by (groupId, threadId) for one GraphQL request. Loads made in the
 * same tick are coalesced per group: one key is one plain GET, more keys are Graph `$batch` calls
 * of at most 20. A failed key rejects only its own load, and throttled keys are retried alone.
 */
export function createThreadLoader(api: ThreadsApi, options: ThreadLoaderOptions): ThreadLoader {
  return new DataLoader<ThreadKey, ThreadData | null, string>((keys) => readByGroup(api, keys, options), {
    maxBatchSize: MAX_BATCH_SIZE,
    cacheKeyFn: (key) => `${key.groupId.toLowerCase()}/${key.threadId}`,
  });
}

/** Read keys group by group, so that each call counts against one mailbox's concurrency limit. */
async function readByGroup(api: ThreadsApi, keys: readonly ThreadKey[], options: ThreadLoaderOptions): Promise<Slot[]> {
  const byGroup = new Map<string, number[]>();
  keys.forEach((key, index) => {
    const group = key.groupId.toLowerCase();
    byGroup.set(group, [...(byGroup.get(group) ?? []), index]);
  });

  const results: Slot[] = new Array(keys.length);
  await Promise.all(
    [...byGroup.values()].map(async (indexes) => {
      const slots = await readWithRetries(api, indexes.map((index) => keys[index]!), options);
      indexes.forEach((index, position) => {
        results[index] = slots[position]!;
      });
    }),
  );
  return results;
}

/**
 * Read `keys` once, as one plain GET or as one `$batch`. A failure of the whole call fails every
 * key; the client has already retried that call as far as it was safe.
 */
async function readOnce(api: ThreadsApi, keys: readonly ThreadKey[], asBatch: boolean): Promise<{ slots: Slot[]; callFailed: boolean }> {
  try {
    if (!asBatch) return { slots: [await api.get(keys[0]!)], callFailed: false };
    return { slots: await api.getMany(keys), callFailed: false };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { slots: keys.map(() => failure), callFailed: true };
  }
}

/**
 * Read `keys` and retry the items of a `$batch` that Graph throttled or could not serve. Each
 * retry re-sends only those keys, after the largest `Retry-After` among them, as Microsoft Graph's
 * throttling guidance for JSON batching recommends. A retried batch stays a `$batch` even with one
 * key left. Retries stop when no key needs one or when the next wait would exceed the time budget,
 * and those keys keep their error.
 */
async function readWithRetries(api: ThreadsApi, keys: readonly ThreadKey[], options: ThreadLoaderOptions): Promise<Slot[]> {
  const asBatch = keys.length > 1;
  const first = await readOnce(api, keys, asBatch);
  const slots = first.slots;
  if (first.callFailed) return slots;
  let waitedMs = 0;

  for (let retry = 0; ; retry += 1) {
    const delays = new Map<number, number>();
    slots.forEach((slot, index) => {
      const delay = readRetryDelayMs(slot, retry);
      if (delay !== undefined) delays.set(index, delay);
    });
    if (delays.size === 0) break;

    const delayMs = Math.max(...delays.values());
    if (waitedMs + delayMs > options.retryBudgetMs) break;

    const retried = [...delays.keys()];
    options.logger.warn(
      {
        operation: asBatch ? 'getThreadsBatch' : 'getThread',
        retry: retry + 1,
        keys: retried.length,
        delayMs,
        requestIds: retried.map((index) => (slots[index] as GraphApiError).requestId),
      },
      'retrying thread reads that Microsoft Graph throttled or could not answer',
    );
    await options.sleep(delayMs);
    waitedMs += delayMs;

    const again = await readOnce(api, retried.map((index) => keys[index]!), asBatch);
    retried.forEach((index, position) => {
      slots[index] = again.slots[position]!;
    });
    if (again.callFailed) break;
  }

  return slots;
}
