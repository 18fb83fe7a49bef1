import type { TransportFailure } from './errors.js';

/**
 * Parse an HTTP `Retry-After` value into seconds: either a non-negative number of seconds, which
 * Graph may send with a fraction such as `2.128`, or an HTTP date. Returns undefined for a missing
 * or unreadable value. A date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;

  const trimmed = value.trim();
  if (trimmed === '') return undefined;

  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);

  // Only the date forms of RFC 9110 start with a letter (a weekday name). This check keeps values
  // such as "-1" or "10s" from being read as dates by Date.parse.
  if (!/^[A-Za-z]/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - nowMs) / 1000);
}

/** The facts about a failed attempt that decide whether it is retried. */
export interface FailedAttempt {
  /** Graph's HTTP status, when a response came. */
  status: number | undefined;
  retryAfterSeconds: number | undefined;
  /** True for a call that changes nothing in Graph, so replaying it is always safe. */
  idempotent: boolean;
  /** False only when the request certainly never left the machine, such as a refused connection. */
  mayHaveReachedGraph: boolean;
  /** The kind of failure when no response came; undefined when Graph responded. */
  transportFailure: TransportFailure | undefined;
}

export interface RetrySettings {
  /** Total time in milliseconds that one call may spend, waits included. */
  budgetMs: number;
  /** First backoff delay without `Retry-After`; it doubles with each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY_SETTINGS: Omit<RetrySettings, 'budgetMs'> = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxAttempts: 6,
};

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/**
 * Decide whether to send a failed call again, and after how long. A 429 is always safe to replay,
 * because Graph did not process the request. 503 and 504 are replayed only for idempotent calls,
 * because Graph may have created the thread before failing. A connection that failed before the
 * request left the machine is safe to replay for any call.
 */
export function decideRetry(
  attempt: FailedAttempt,
  attemptNumber: number,
  elapsedMs: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): RetryDecision {
  const retryable =
    attempt.status === 429 ||
    (attempt.idempotent && (attempt.status === 503 || attempt.status === 504)) ||
    (attempt.transportFailure === 'unavailable' && attempt.status === undefined && (attempt.idempotent || !attempt.mayHaveReachedGraph));
  if (!retryable) return { retry: false, reason: 'not retryable' };
  if (attemptNumber >= settings.maxAttempts) return { retry: false, reason: `gave up after ${attemptNumber} attempts` };

  let delayMs: number;
  if (attempt.retryAfterSeconds !== undefined) {
    delayMs = Math.ceil(attempt.retryAfterSeconds * 1000);
  } else {
    // Exponential backoff with jitter between half and all of the step, so replicas spread out.
    const step = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attemptNumber - 1));
    delayMs = Math.round(step / 2 + (random() * step) / 2);
  }

  if (elapsedMs + delayMs > settings.budgetMs) {
    return { retry: false, reason: `waiting ${delayMs} ms would exceed the retry budget of ${settings.budgetMs} ms` };
  }
  return { retry: true, delayMs };
}

/** Wait `ms` milliseconds; rejects with the signal's reason as soon as `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
