import type { FakeGraph } from '../src/fake-graph/index.js';

/** Sends one GraphQL request to a gateway replica and returns its parsed JSON body. */
export type Replica = (body: string) => Promise<GraphQLBody>;

export interface GraphQLBody {
  data?: { addThread?: AddThreadResult | null } | null;
  errors?: Array<{ message: string; extensions?: { code?: string; outcomeUnknown?: boolean } }>;
}

interface AddThreadResult {
  __typename: string;
  thread?: { id: string };
  outcomeUnknown?: boolean;
}

/** The faults of a soak run: about 10 % 429, 5 % 503, 2 % 504 after the create and 2 % dropped connections. */
export const SOAK_CHAOS = { throttled: 0.1, unavailable: 0.05, timeoutAfterCommit: 0.02, dropped: 0.02, retryAfter: '0.05' } as const;

/** Wrap a function that POSTs a GraphQL body to one gateway replica, as the soak's caller. */
export function replicaOf(post: (body: string, headers: Record<string, string>) => Promise<Response> | Response): Replica {
  return async (body) => {
    const response = await post(body, { 'content-type': 'application/json', authorization: 'Bearer soak-user-token' });
    return (await response.json()) as GraphQLBody;
  };
}

export interface SoakOptions {
  fake: FakeGraph;
  replicas: Replica[];
  groupId: string;
  /** Keys are spread over these conversations in turn, as many users' threads would be. */
  conversationIds: string[];
  calls: number;
  concurrency: number;
  /** Attempts per key after the first, each on the next replica. */
  retries: number;
  /** Marks this run's threads, so that earlier runs against the same fake do not count. */
  runId: string;
}

export interface SoakReport {
  calls: number;
  attempts: number;
  acknowledged: number;
  stored: number;
  duplicates: number;
  lost: number;
  failedWithOutcomeUnknown: number;
  failedOtherwise: number;
  /** Final error code of each failed key, counted. */
  failureCodes: Record<string, number>;
}

const MUTATION = `mutation Soak($input: AddThreadInput!) {
  addThread(input: $input) {
    __typename
    ... on AddThreadSuccess { thread { id } }
    ... on GraphError { code status outcomeUnknown }
    ... on ValidationError { message }
  }
}`;

type Outcome = { kind: 'acknowledged'; threadId: string } | { kind: 'failed'; outcomeUnknown: boolean; code: string };

async function sendKey(options: SoakOptions, index: number, count: { attempts: number }): Promise<Outcome> {
  const key = `${options.runId}-${index}`;
  const body = JSON.stringify({
    query: MUTATION,
    variables: {
      input: {
        groupId: options.groupId,
        conversationId: options.conversationIds[index % options.conversationIds.length],
        topic: `Soak ${key}`,
        posts: [{ body: { contentType: 'TEXT', content: `Soak post ${key}` } }],
        idempotencyKey: key,
      },
    },
  });

  let last: Outcome = { kind: 'failed', outcomeUnknown: false, code: 'none' };
  for (let attempt = 0; attempt <= options.retries; attempt += 1) {
    count.attempts += 1;
    const replica = options.replicas[(index + attempt) % options.replicas.length]!;
    let response: GraphQLBody;
    try {
      response = await replica(body);
    } catch {
      last = { kind: 'failed', outcomeUnknown: true, code: 'GATEWAY_UNREACHABLE' };
      continue;
    }

    const result = response.data?.addThread;
    if (result?.__typename === 'AddThreadSuccess' && result.thread) return { kind: 'acknowledged', threadId: result.thread.id };
    const outcomeUnknown = result?.outcomeUnknown ?? response.errors?.[0]?.extensions?.outcomeUnknown ?? false;
    const code = result?.__typename === 'GraphError' ? `GraphError ${(result as { code?: string }).code}` : (response.errors?.[0]?.extensions?.code ?? 'none');
    last = { kind: 'failed', outcomeUnknown, code };
    await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
  }
  return last;
}

/**
 * Send `calls` creates, each with its own idempotency key, retrying failures with the same key on
 * the other replicas, then compare the results the clients received with what the fake Graph stored.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const outcomes: Outcome[] = new Array(options.calls);
  const count = { attempts: 0 };
  let next = 0;

  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.calls) {
        const index = next;
        next += 1;
        outcomes[index] = await sendKey(options, index, count);
      }
    }),
  );

  const marker = `Soak ${options.runId}-`;
  const byKey = new Map<string, string[]>();
  for (const thread of options.fake.store.allThreads()) {
    if (!thread.topic.startsWith(marker)) continue;
    const key = thread.topic.slice('Soak '.length);
    byKey.set(key, [...(byKey.get(key) ?? []), thread.id]);
  }

  let lost = 0;
  outcomes.forEach((outcome, index) => {
    if (outcome.kind !== 'acknowledged') return;
    const stored = byKey.get(`${options.runId}-${index}`) ?? [];
    if (!stored.includes(outcome.threadId)) lost += 1;
  });

  const failed = outcomes.filter((outcome): outcome is Extract<Outcome, { kind: 'failed' }> => outcome.kind === 'failed');
  return {
    calls: options.calls,
    attempts: count.attempts,
    acknowledged: outcomes.length - failed.length,
    stored: [...byKey.values()].reduce((sum, ids) => sum + ids.length, 0),
    duplicates: [...byKey.values()].filter((ids) => ids.length > 1).length,
    lost,
    failedWithOutcomeUnknown: failed.filter((outcome) => outcome.outcomeUnknown).length,
    failedOtherwise: failed.filter((outcome) => !outcome.outcomeUnknown).length,
    failureCodes: failed.reduce<Record<string, number>>((counts, outcome) => ({ ...counts, [outcome.code]: (counts[outcome.code] ?? 0) + 1 }), {}),
  };
}

export function formatReport(report: SoakReport): string {
  return [
    `calls sent (one key each):          ${report.calls}`,
    `requests including client retries:  ${report.attempts}`,
    `creates acknowledged:               ${report.acknowledged}`,
    `threads stored:                     ${report.stored}`,
    `duplicates (threads per key > 1):   ${report.duplicates}`,
    `lost (acknowledged but not stored): ${report.lost}`,
    `failures reported outcomeUnknown:   ${report.failedWithOutcomeUnknown}`,
    `other failures:                     ${report.failedOtherwise}`,
    ...Object.entries(report.failureCodes).map(([code, count]) => `  final error ${code}: ${count}`),
  ].join('\n');
}
