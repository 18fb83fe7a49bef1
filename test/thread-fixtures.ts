import type { FakeCall, FakeGraph } from '../src/fake-graph/index.js';
import { json, type FakeRequest, type FakeResponse } from '../src/fake-graph/http.js';
import { CONVERSATION_ID, GROUP_ID } from './helpers.js';

export interface SubRequest {
  id: string;
  method: string;
  url: string;
}

/** Seed `count` threads in the default conversation with topics "Topic 1" … "Topic <count>"; returns their ids in that order. */
export function seedThreads(fake: FakeGraph, count: number): string[] {
  const ids: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    const thread = fake.store.addThread(
      GROUP_ID,
      CONVERSATION_ID,
      {
        topic: `Topic ${index}`,
        toRecipients: [{ emailAddress: { name: `Person ${index}`, address: `person${index}@example.com` } }],
        posts: [],
      },
      'seed',
    );
    ids.push(thread.id);
  }
  return ids;
}

/** Return a well-formed thread id that the fake does not store. */
export function unknownThreadId(index: number): string {
  return `AAQkUnknownThread${String(index).padStart(4, '0')}==`;
}

/** Return the top-level `$batch` calls that the fake received, in arrival order. */
export function batchCalls(fake: FakeGraph): FakeCall[] {
  return fake.httpCalls('POST').filter((call) => call.target === '/v1.0/$batch');
}

/** Return the top-level GETs of single threads, which batched reads must not cause. */
export function singleThreadGets(fake: FakeGraph): FakeCall[] {
  return fake.httpCalls('GET').filter((call) => /\/threads\/[^/?]+(\?|$)/.test(call.target));
}

export function subRequestsOf(call: FakeCall): SubRequest[] {
  return (JSON.parse(call.body) as { requests: SubRequest[] }).requests;
}

/** Return the thread id of a sub-request's url, such as `/groups/{g}/threads/{id}?$select=…`. */
export function threadIdOf(url: string): string {
  const match = /\/threads\/([^/?]+)/.exec(url);
  if (match === null) throw new Error(`No thread id in the sub-request url ${url}`);
  return decodeURIComponent(match[1]!);
}

type SubResponse = { id: string; status: number; headers: Record<string, string>; body: unknown };

/**
 * Build a `respond` fault for `POST /$batch`. It returns every sub-request's thread from the fake's
 * store with status 200, or 404 for an unknown thread, in the order that `arrange` gives.
 */
export function answerBatch(
  fake: FakeGraph,
  arrange: (responses: SubResponse[]) => SubResponse[],
): (request: FakeRequest) => FakeResponse {
  return (request) => {
    const { requests } = JSON.parse(request.body) as { requests: SubRequest[] };
    const responses = requests.map((sub): SubResponse => {
      const thread = fake.store.group(GROUP_ID)?.threads.get(threadIdOf(sub.url));
      if (thread === undefined) {
        const body = { error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } };
        return { id: sub.id, status: 404, headers: { 'content-type': 'application/json' }, body };
      }
      return { id: sub.id, status: 200, headers: { 'content-type': 'application/json' }, body: { id: thread.id, topic: thread.topic } };
    });
    return json(request, 200, { responses: arrange(responses) });
  };
}

/** Put `items` in the order given by 1-based `positions`, such as [3, 1, 5, 2, 4]. */
export function permute<T>(items: T[], positions: number[]): T[] {
  if (positions.length !== items.length) throw new Error(`permute needs ${items.length} positions, got ${positions.length}`);
  return positions.map((position) => items[position - 1]!);
}

/** Shuffle `items` with a seeded linear congruential generator, so that a failing order can be reproduced. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let index = result.length - 1; index > 0; index -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}
