import type { ChildProcess } from 'node:child_process';
import type { FakeCallCounts } from '../src/fake-graph/index.js';
import { askFake } from './gateway-process.js';
import { sendOnce, type Target } from './load.js';
import { checkReads, gatewayEntities, gatewayListPage, type FakeInfo } from './requests.js';

/**
 * Batching of one read of 100 threads, made of one or more GraphQL requests sent one after the
 * other: upstream calls per GraphQL request, and the latency of the whole read.
 */
export interface ReadResult {
  name: string;
  /** GraphQL requests of one read. */
  requestsPerRead: number;
  reads: number;
  /** Top-level calls that the fake received per GraphQL request. */
  upstreamCallsPerRequest: number;
  /** `$batch` sub-requests per GraphQL request. */
  subRequestsPerRequest: number;
  /** Milliseconds of one whole read. */
  p50: number;
  p99: number;
}

type Json = Record<string, any>;

async function counts(fake: ChildProcess): Promise<FakeCallCounts> {
  return (await askFake<{ counts: FakeCallCounts }>(fake, 'counts', 'counts')).counts;
}

async function measure(name: string, targets: Target[], threadsOf: (bodies: Json[]) => Json[] | undefined, fake: ChildProcess, reads: number): Promise<ReadResult> {
  const sample = await Promise.all(targets.map((target) => sendOnce(target)));
  const problem = checkReads(Math.max(...sample.map((answer) => answer.status)), threadsOf(sample.map((answer) => answer.body as Json)), sample.map((answer) => answer.body));
  if (problem !== undefined) throw new Error(`the ${name} sample response is wrong: ${problem}`);

  const before = await counts(fake);
  const latencies: number[] = [];
  for (let index = 0; index < reads; index += 1) {
    const startedAt = performance.now();
    for (const target of targets) await sendOnce(target);
    latencies.push(performance.now() - startedAt);
  }
  const after = await counts(fake);

  latencies.sort((a, b) => a - b);
  const requests = reads * targets.length;
  return {
    name,
    requestsPerRead: targets.length,
    reads,
    upstreamCallsPerRequest: (after.http - before.http) / requests,
    subRequestsPerRequest: (after.inBatch - before.inBatch) / requests,
    p50: latencies[Math.floor(reads * 0.5)]!,
    p99: latencies[Math.min(reads - 1, Math.floor(reads * 0.99))]!,
  };
}

/** Measure `_entities` with 100 thread representations, and two pages of 50 threads with every detail. */
export async function measureReads(gatewayUrl: string, fake: { child: ChildProcess; info: FakeInfo }, reads: number): Promise<ReadResult[]> {
  const entities = await measure(
    '_entities, 100 threads',
    [gatewayEntities(gatewayUrl, fake.info)],
    ([body]) => body?.data?._entities,
    fake.child,
    reads,
  );

  const firstPage = await sendOnce(gatewayListPage(gatewayUrl, fake.info, null));
  const after = (firstPage.body as Json)?.data?.threads?.pageInfo?.endCursor;
  if (typeof after !== 'string') throw new Error(`the first page of threads has no end cursor: ${JSON.stringify(firstPage.body).slice(0, 300)}`);
  const lists = await measure(
    'threads, 2 pages of 50',
    [gatewayListPage(gatewayUrl, fake.info, null), gatewayListPage(gatewayUrl, fake.info, after)],
    (bodies) => bodies.flatMap((body) => body?.data?.threads?.edges ?? []).map((edge: Json) => edge.node),
    fake.child,
    reads,
  );
  return [entities, lists];
}
