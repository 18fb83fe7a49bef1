import { describe, expect, it } from 'vitest';
import { decideRetry, parseRetryAfter, type FailedAttempt } from '../src/graph/retry.js';

const NOW = Date.parse('2024-05-01T08:00:00Z');
const SETTINGS = { budgetMs: 10_000, baseDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 6 };

function failed(overrides: Partial<FailedAttempt>): FailedAttempt {
  return { status: undefined, retryAfterSeconds: undefined, idempotent: false, mayHaveReachedGraph: true, transportFailure: undefined, ...overrides };
}

describe('parseRetryAfter', () => {
  it.each([
    ['2', 2],
    ['2.128', 2.128],
    [' 1.5 ', 1.5],
    ['0', 0],
    ['Wed, 01 May 2024 08:00:03 GMT', 3],
    ['Wed, 01 May 2024 07:59:00 GMT', 0],
  ])('reads %j as %d seconds', (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBeCloseTo(seconds, 6);
  });

  it.each([undefined, '', '-1', '10s', 'soon', '1e3'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  it('waits Retry-After after a 429 on a create', () => {
    expect(decideRetry(failed({ status: 429, retryAfterSeconds: 2.128 }), 1, 0, SETTINGS)).toEqual({ retry: true, delayMs: 2128 });
  });

  it.each([503, 504, 500])('never replays a create after %i', (status) => {
    expect(decideRetry(failed({ status, retryAfterSeconds: 1 }), 1, 0, SETTINGS).retry).toBe(false);
  });

  it.each([503, 504])('replays a read after %i', (status) => {
    expect(decideRetry(failed({ status, idempotent: true, retryAfterSeconds: 1 }), 1, 0, SETTINGS)).toEqual({ retry: true, delayMs: 1000 });
  });

  it('replays a create whose connection failed before sending', () => {
    expect(decideRetry(failed({ transportFailure: 'unavailable', mayHaveReachedGraph: false }), 1, 0, SETTINGS, () => 0).retry).toBe(true);
  });

  it.each(['timeout', 'unavailable', 'bad-response'] as const)('never replays a create after a %s once sent', (transportFailure) => {
    expect(decideRetry(failed({ transportFailure, mayHaveReachedGraph: true }), 1, 0, SETTINGS).retry).toBe(false);
  });

  it('stops at once when the wait would exceed the budget', () => {
    expect(decideRetry(failed({ status: 429, retryAfterSeconds: 120 }), 1, 0, SETTINGS)).toEqual({
      retry: false,
      reason: expect.stringContaining('exceed the retry budget of 10000 ms'),
    });
    expect(decideRetry(failed({ status: 429, retryAfterSeconds: 3 }), 4, 9_000, SETTINGS).retry).toBe(false);
  });

  it('backs off exponentially with jitter without Retry-After', () => {
    const low = [1, 2, 3].map((attempt) => decideRetry(failed({ status: 429 }), attempt, 0, SETTINGS, () => 0));
    const high = [1, 2, 3].map((attempt) => decideRetry(failed({ status: 429 }), attempt, 0, SETTINGS, () => 1));

    expect(low).toEqual([250, 500, 1000].map((delayMs) => ({ retry: true, delayMs })));
    expect(high).toEqual([500, 1000, 2000].map((delayMs) => ({ retry: true, delayMs })));
  });

  it('gives up after the maximum attempts', () => {
    expect(decideRetry(failed({ status: 429, retryAfterSeconds: 0 }), 6, 0, SETTINGS).retry).toBe(false);
  });
});
