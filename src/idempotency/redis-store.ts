import { Redis } from 'ioredis';
import type { IdempotencyRecord, IdempotencyStore, PendingRecord } from './store.js';

// Compare-and-set on the record's owner, in one step on the server so that no replica can slip
// a write between the read and the write.
const REPLACE_IF_OWNER = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local ok, decoded = pcall(cjson.decode, current)
if not ok or decoded['owner'] ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
`;

type RedisWithReplace = Redis & {
  replaceIfOwner(key: string, owner: string, value: string, ttlMs: string): Promise<number>;
};

/** Idempotency records in Redis, shared by every gateway replica that uses the same server. */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly redis: RedisWithReplace;

  constructor(
    url: string,
    private readonly prefix = 'graph-threads-gateway:idempotency:',
  ) {
    const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    redis.defineCommand('replaceIfOwner', { numberOfKeys: 1, lua: REPLACE_IF_OWNER });
    this.redis = redis as RedisWithReplace;
  }

  async claim(key: string, record: PendingRecord, ttlMs: number): Promise<IdempotencyRecord | undefined> {
    const fullKey = this.prefix + key;

    // The record can expire between a failed SET NX and the GET; then claiming again wins.
    for (let tries = 0; tries < 3; tries += 1) {
      const stored = await this.redis.set(fullKey, JSON.stringify(record), 'PX', ttlMs, 'NX');
      if (stored === 'OK') return undefined;

      const existing = await this.redis.get(fullKey);
      if (existing !== null) return JSON.parse(existing) as IdempotencyRecord;
    }
    throw new Error(`Redis kept dropping the idempotency record ${fullKey} between writes and reads.`);
  }

  async replace(key: string, expectedOwner: string, next: IdempotencyRecord | null, ttlMs: number): Promise<boolean> {
    const result = await this.redis.replaceIfOwner(this.prefix + key, expectedOwner, next === null ? '' : JSON.stringify(next), String(ttlMs));
    return result === 1;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
