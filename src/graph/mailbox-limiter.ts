/** The gateway's own queue is full, so the call was not sent. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

interface Mailbox {
  active: number;
  waiting: Array<() => void>;
}

/**
 * Limits concurrent Graph calls per group mailbox. Outlook allows 4 concurrent requests per app
 * and mailbox and rejects more with 429 ApplicationThrottled, so calls beyond the limit wait here
 * in arrival order instead. Once `maxQueued` calls wait, new ones fail at once.
 */
export class MailboxLimiter {
  private readonly mailboxes = new Map<string, Mailbox>();

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueued: number,
  ) {}

  /** Run `task` once the mailbox has a free slot; a call aborted while it waits never runs. */
  async run<T>(mailbox: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const key = mailbox.toLowerCase();
    let state = this.mailboxes.get(key);
    if (state === undefined) {
      state = { active: 0, waiting: [] };
      this.mailboxes.set(key, state);
    }

    if (state.active >= this.maxConcurrent) {
      if (state.waiting.length >= this.maxQueued) {
        throw new QueueFullError(
          `${state.waiting.length} calls to group ${mailbox} are already waiting for one of its ${this.maxConcurrent} slots; try again shortly.`,
        );
      }
      // The call that finishes hands its slot straight to the first waiting call.
      await this.wait(state, signal);
    } else {
      state.active += 1;
    }

    try {
      return await task();
    } finally {
      const next = state.waiting.shift();
      if (next) {
        next();
      } else {
        state.active -= 1;
        if (state.active === 0) this.mailboxes.delete(key);
      }
    }
  }

  private wait(state: Mailbox, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = state.waiting.indexOf(wake);
        if (index >= 0) state.waiting.splice(index, 1);
        reject(signal!.reason ?? new Error('aborted'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      state.waiting.push(wake);
    });
  }

  /** Calls running and waiting for one mailbox, for tests and metrics. */
  stats(mailbox: string): { active: number; waiting: number } {
    const state = this.mailboxes.get(mailbox.toLowerCase());
    return { active: state?.active ?? 0, waiting: state?.waiting.length ?? 0 };
  }
}
