import type { ThreadData } from '../graph/threads.js';

/** Fields every record carries. */
interface RecordBase {
  /** Hash of the request the key was first used with; another request under the key is a conflict. */
  fingerprint: string;
  /** Random id of the attempt that wrote the record; updates succeed only for that attempt. */
  owner: string;
}

/** A create is running; other requests with the key wait until `leaseUntil`, then treat it as unknown. */
export interface PendingRecord extends RecordBase {
  state: 'pending';
  leaseUntil: number;
  /** When the first create under this key may have been sent, in milliseconds since the epoch. */
  firstSentAt: number;
}

/** The create succeeded; requests with the key get this thread without calling Graph. */
export interface SucceededRecord extends RecordBase {
  state: 'succeeded';
  groupId: string;
  conversationId: string;
  thread: ThreadData;
}

/** A create may have happened (5xx, timeout, broken connection); the next request looks for the thread first. */
export interface UnknownRecord extends RecordBase {
  state: 'unknown';
  firstSentAt: number;
}

export type IdempotencyRecord = PendingRecord | SucceededRecord | UnknownRecord;

/** Storage of idempotency records. Both operations are atomic, also across gateway replicas. */
export interface IdempotencyStore {
  /** Store `record` if the key is free and return undefined; otherwise return the record stored under the key. */
  claim(key: string, record: PendingRecord, ttlMs: number): Promise<IdempotencyRecord | undefined>;
  /**
   * Replace the record if its `owner` is still `expectedOwner`; `null` deletes it. Returns false
   * when another attempt changed the record first.
   */
  replace(key: string, expectedOwner: string, next: IdempotencyRecord | null, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The store used without `REDIS_URL`: records live in this process only. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, { record: IdempotencyRecord; expiresAt: number }>();
  private operations = 0;

  constructor(private readonly now: () => number = Date.now) {}

  private read(key: string): IdempotencyRecord | undefined {
    const entry = this.records.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.records.delete(key);
      return undefined;
    }
    return entry.record;
  }

  private sweep(): void {
    this.operations += 1;
    if (this.operations % 1000 !== 0) return;
    const now = this.now();
    for (const [key, entry] of this.records) if (entry.expiresAt <= now) this.records.delete(key);
  }

  async claim(key: string, record: PendingRecord, ttlMs: number): Promise<IdempotencyRecord | undefined> {
    this.sweep();
    const existing = this.read(key);
    if (existing !== undefined) return structuredClone(existing);

    this.records.set(key, { record: structuredClone(record), expiresAt: this.now() + ttlMs });
    return undefined;
  }

  async replace(key: string, expectedOwner: string, next: IdempotencyRecord | null, ttlMs: number): Promise<boolean> {
    const existing = this.read(key);
    if (existing === undefined || existing.owner !== expectedOwner) return false;

    if (next === null) this.records.delete(key);
    else this.records.set(key, { record: structuredClone(next), expiresAt: this.now() + ttlMs });
    return true;
  }

  async close(): Promise<void> {
    this.records.clear();
  }
}
