import DataLoader from 'dataloader';
import { MAX_BATCH_SIZE, type ThreadData, type ThreadKey, type ThreadsApi } from './threads.js';

export type ThreadLoader = DataLoader<ThreadKey, ThreadData | null, string>;

/**
 * A loader of threads by (groupId, threadId) for one GraphQL request. Loads made in the same
 * tick are coalesced: per group, one key is one plain GET and more keys are Graph `$batch` calls
 * of at most 20.
 * A failed key rejects only its own load.
 */
export function createThreadLoader(api: ThreadsApi): ThreadLoader {
  return new DataLoader<ThreadKey, ThreadData | null, string>(
    async (keys) => {
      // One $batch per group, so that each call counts against one mailbox's concurrency limit.
      const byGroup = new Map<string, number[]>();
      keys.forEach((key, index) => {
        const group = key.groupId.toLowerCase();
        byGroup.set(group, [...(byGroup.get(group) ?? []), index]);
      });

      const results: Array<ThreadData | null | Error> = new Array(keys.length);
      await Promise.all(
        [...byGroup.values()].map(async (indexes) => {
          const groupKeys = indexes.map((index) => keys[index]!);
          let slots: Array<ThreadData | null | Error>;
          try {
            slots = groupKeys.length === 1 ? [await api.get(groupKeys[0]!)] : await api.getMany(groupKeys);
          } catch (error) {
            slots = groupKeys.map(() => error as Error);
          }
          indexes.forEach((index, position) => {
            results[index] = slots[position]!;
          });
        }),
      );
      return results;
    },
    {
      maxBatchSize: MAX_BATCH_SIZE,
      cacheKeyFn: (key) => `${key.groupId.toLowerCase()}/${key.threadId}`,
    },
  );
}
