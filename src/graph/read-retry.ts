import { GraphApiError } from './errors.js';

/**
 * Statuses after which a thread read is sent again. A GET changes nothing, so it is safe to repeat
 * after 429 (Graph did not process it) and after 503 or 504 (Graph could not serve it).
 */
const RETRYABLE_READ_STATUSES = new Set([429, 503, 504]);

/** Retries of one read at most, whatever the time budget still allows. */
export const MAX_READ_RETRIES = 3;

/** Waits in milliseconds before retry 1, 2 and 3 when Graph sent no `Retry-After`. */
const DEFAULT_READ_BACKOFF_MS = [500, 1_000, 2_000];

/**
 * Return how long to wait before retry number `retry` (from 0) of a read that failed with
 * `failure`: Graph's `Retry-After` when it sent one, a default backoff otherwise. Returns undefined
 * when the read must not be retried: another failure, a success, or no retries left.
 */
export function readRetryDelayMs(failure: unknown, retry: number): number | undefined {
  if (!(failure instanceof GraphApiError) || !RETRYABLE_READ_STATUSES.has(failure.status)) return undefined;
  if (retry >= MAX_READ_RETRIES) return undefined;

  if (failure.retryAfterSeconds !== undefined) return Math.ceil(failure.retryAfterSeconds * 1000);
  return DEFAULT_READ_BACKOFF_MS[retry];
}
