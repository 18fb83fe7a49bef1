/**
 * `npm run soak`: two gateway processes sharing one Redis, in front of a fake Graph that throttles,
 * fails and drops connections at random, with a client that retries failures with the same
 * idempotency key on the other replica. Exits with 1 when any thread was duplicated or lost.
 *
 * Options: --calls N (default 2000), --concurrency N (default 32), --seed N. Needs `npm run build`
 * first (the npm script does it) and Redis at REDIS_URL (default redis://127.0.0.1:6379).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { FakeGraph } from '../src/fake-graph/index.js';
import { formatReport, replicaOf, runSoak, SOAK_CHAOS } from './soak-core.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
    seed: { type: 'string', default: '7' },
  },
});
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startReplica(graphBaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      GRAPH_BASE_URL: graphBaseUrl,
      GRAPH_AUTH: 'passthrough',
      REDIS_URL: redisUrl,
      GRAPH_TIMEOUT_MS: '3000',
      GRAPH_RETRY_BUDGET_MS: '5000',
      LOG_LEVEL: 'error',
      GRAPHIQL: 'false',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('ready at')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`a gateway replica did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${port}/graphql`, child };
}

async function main(): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect().catch(() => undefined);
  if ((await redis.ping().catch(() => 'unreachable')) !== 'PONG') {
    throw new Error(`Redis at ${redisUrl} does not respond to PING; start it or set REDIS_URL.`);
  }
  await redis.quit();

  const fake = new FakeGraph({
    chaos: { ...SOAK_CHAOS, seed: Number(values.seed) },
  });
  const groupId = '33333333-3333-4333-8333-333333333333';
  fake.store.addGroup(groupId, 'Soak group');
  // 40 conversations hold about 50 new threads each in a default run, as a busy group would.
  const conversationIds = Array.from({ length: 40 }, (_, index) => fake.store.addConversation(groupId, `Soak conversation ${index}`).id);
  const graphBaseUrl = await fake.listen();

  const replicas = await Promise.all([startReplica(graphBaseUrl), startReplica(graphBaseUrl)]);
  try {
    const startedAt = Date.now();
    const report = await runSoak({
      fake,
      replicas: replicas.map(({ url }) => replicaOf((body, headers) => fetch(url, { method: 'POST', headers, body }))),
      groupId,
      conversationIds,
      calls: Number(values.calls),
      concurrency: Number(values.concurrency),
      retries: 5,
      runId: `run${Date.now()}`,
    });

    const faults = fake.httpCalls().length;
    process.stdout.write(`${formatReport(report)}\n`);
    process.stdout.write(`upstream calls seen by the fake:    ${faults}\n`);
    process.stdout.write(`duration:                           ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
    process.exitCode = report.duplicates === 0 && report.lost === 0 ? 0 : 1;
  } finally {
    for (const { child } of replicas) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
    await fake.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
