import DataLoader from 'dataloader';
import { MAX_BATCH_SIZE, type ThreadData, type ThreadKey, type ThreadsApi } from './threads.js';

export type ThreadLoader = DataLoader<ThreadKey, ThreadData | null, string>;

/**
 * A loader of threads by (groupId, threadId) for one GraphQL request. Loads made in the same
 * tick are coalesced: one key is one plain GET, more keys are Graph `$batch` calls of at most 20.
 * A failed key rejects only its own load.
 */
export function createThreadLoader(api: ThreadsApi): ThreadLoader {
  return new DataLoader<ThreadKey, ThreadData | null, string>(
    async (keys) => {
      if (keys.length === 1) {
        try {
          return [await api.get(keys[0]!)];
        } catch (error) {
          return [error as Error];
        }
      }
      return api.getMany(keys);
    },
    {
      maxBatchSize: MAX_BATCH_SIZE,
      cacheKeyFn: (key) => `${key.groupId.toLowerCase()}/${key.threadId}`,
    },
  );
}
