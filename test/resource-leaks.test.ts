import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { ADD, startHarness, vars, type Harness } from './helpers.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let harness: Harness | undefined;
afterAll(async () => {
  await harness?.close();
});

/** Drop the fake's threads and call log, so that its memory stays out of the measurement. */
function forgetFakeState(h: Harness): void {
  for (const group of h.fake.store.groups.values()) {
    group.threads.clear();
    for (const conversation of group.conversations.values()) conversation.threadIds.length = 0;
  }
  h.fake.calls.length = 0;
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('per-call deadlines', () => {
  it('leave no timers, listeners or heap behind after 10,000 calls', { timeout: 180_000 }, async () => {
    harness = await startHarness({ env: { GRAPH_TIMEOUT_MS: '5000' } });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);

    try {
      for (let index = 0; index < 500; index += 1) await harness.graphql(ADD, vars());
      forgetFakeState(harness);
      collectGarbage();
      const baselineHeap = process.memoryUsage().heapUsed;
      const baselineTimers = timers();

      for (let index = 0; index < 9_500; index += 1) {
        const { body } = await harness.graphql(ADD, vars());
        if (body.data?.addThread?.__typename !== 'AddThreadSuccess') throw new Error(`call ${index} failed: ${JSON.stringify(body)}`);
        if (index % 500 === 0) forgetFakeState(harness);
      }
      forgetFakeState(harness);
      collectGarbage();

      const grownMb = (process.memoryUsage().heapUsed - baselineHeap) / 1024 / 1024;
      expect(grownMb).toBeLessThan(20);
      expect(timers()).toBeLessThanOrEqual(baselineTimers);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
