import { describe, expect, it } from 'vitest';
import { formatReport, replicaOf, runSoak, SOAK_CHAOS } from '../bench/soak-core.js';
import { loadConfig } from '../src/config.js';
import { FakeGraph } from '../src/fake-graph/index.js';
import { createGateway } from '../src/gateway.js';
import { RedisIdempotencyStore } from '../src/idempotency/redis-store.js';
import { MemoryIdempotencyStore, type IdempotencyStore } from '../src/idempotency/store.js';
import { captureLogger } from './helpers.js';

// A shorter run of `npm run soak`: two gateway replicas in this process share one idempotency
// store (Redis when REDIS_URL is set), in front of a fake Graph that fails at random.
describe('fault soak', () => {
  it('loses and duplicates no thread under random faults', { timeout: 120_000 }, async () => {
    const fake = new FakeGraph({
      chaos: { ...SOAK_CHAOS, seed: 11 },
    });
    const groupId = '44444444-4444-4444-8444-444444444444';
    fake.store.addGroup(groupId, 'Soak group');
    const conversationIds = Array.from({ length: 10 }, (_, index) => fake.store.addConversation(groupId, `Soak ${index}`).id);
    const baseUrl = await fake.listen();
    const store: IdempotencyStore = process.env.REDIS_URL ? new RedisIdempotencyStore(process.env.REDIS_URL) : new MemoryIdempotencyStore();
    const config = loadConfig({ GRAPH_BASE_URL: baseUrl, GRAPH_TIMEOUT_MS: '3000', GRAPH_RETRY_BUDGET_MS: '5000' });
    const replicas = [0, 1].map(() => createGateway({ config, logger: captureLogger('error').logger, idempotencyStore: store }));

    try {
      const report = await runSoak({
        fake,
        replicas: replicas.map((gateway) =>
          replicaOf((body, headers) => gateway.yoga.fetch('http://gateway.test/graphql', { method: 'POST', headers, body })),
        ),
        groupId,
        conversationIds,
        calls: 200,
        concurrency: 16,
        retries: 5,
        runId: `test${Date.now()}`,
      });

      expect(report.duplicates, formatReport(report)).toBe(0);
      expect(report.lost, formatReport(report)).toBe(0);
      expect(report.stored).toBe(report.acknowledged);
      // The faults really happened: more requests than keys reached the gateways.
      expect(report.attempts).toBeGreaterThan(report.calls);
    } finally {
      await Promise.all(replicas.map((gateway) => gateway.close()));
      await store.close();
      await fake.close();
    }
  });
});
