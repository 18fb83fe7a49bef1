import type { FaultRule } from './faults.js';

/** Shares of top-level calls that get each random fault; the other calls get normal responses. */
export interface ChaosOptions {
  /** 429 ApplicationThrottled before anything happens. */
  throttled?: number;
  /** 503 serviceNotAvailable before anything happens. */
  unavailable?: number;
  /** 504 after the call took effect, so a create stores its thread and still fails. */
  timeoutAfterCommit?: number;
  /** A dropped connection; half of them after the call took effect. */
  dropped?: number;
  /** `Retry-After` sent with the 429s and 503s. */
  retryAfter?: string;
  /** Seed of the random sequence, so that a run can be repeated. */
  seed?: number;
}

/** A small seeded generator (mulberry32); `Math.random` cannot be seeded. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws a fault for each call with the configured shares. */
export class Chaos {
  private readonly random: () => number;

  constructor(private readonly options: ChaosOptions) {
    this.random = seededRandom(options.seed ?? 1);
  }

  draw(): FaultRule | undefined {
    const { throttled = 0, unavailable = 0, timeoutAfterCommit = 0, dropped = 0, retryAfter = '1' } = this.options;
    let roll = this.random();

    if ((roll -= throttled) < 0) return { status: 429, code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.', retryAfter };
    if ((roll -= unavailable) < 0) return { status: 503, code: 'serviceNotAvailable', retryAfter };
    if ((roll -= timeoutAfterCommit) < 0) return { status: 504, code: 'generalException', afterCommit: true };
    if ((roll -= dropped) < 0) return { transport: 'drop', afterCommit: this.random() < 0.5 };
    return undefined;
  }
}
