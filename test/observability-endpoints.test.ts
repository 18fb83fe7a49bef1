import { afterEach, describe, expect, it } from 'vitest';
import { serve } from '../src/server.js';
import { ADD, startHarness, TOKEN_A, vars, type Harness } from './helpers.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const CLIENT_REQUEST_ID = '7f0c2b3e-0000-4000-8000-000000000001';

async function metricsText(harness: Harness): Promise<string> {
  const response = await harness.gateway.yoga.fetch('http://gateway.test/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** Return the value of one sample line, such as `name{labels} 1`; undefined when the line is missing. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('observability endpoints', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('metrics count a mutation and an upstream failure', async () => {
    harness = await startHarness();

    await harness.graphql(ADD, vars());
    harness.fake.faults.add({ method: 'POST', status: 503 });
    await harness.graphql(ADD, vars());
    const text = await metricsText(harness);

    expect(sample(text, 'graphql_operations_total{operation="AddThread",type="mutation",result="success"}')).toBe(2);
    expect(sample(text, 'graphql_operation_duration_seconds_count{operation="AddThread",type="mutation"}')).toBe(2);
    expect(sample(text, 'graph_upstream_requests_total{operation="createThread",status="201"}')).toBe(1);
    expect(sample(text, 'graph_upstream_requests_total{operation="createThread",status="503"}')).toBe(1);
    expect(sample(text, 'graph_upstream_request_duration_seconds_count{operation="createThread"}')).toBe(2);
    expect(text).toContain('# TYPE graph_upstream_retries_total counter');
  });

  it('metrics count invalid documents and retries', async () => {
    harness = await startHarness();

    harness.fake.faults.add({ method: 'POST', status: 429, retryAfter: '1' });

    await harness.graphql('query Broken { noSuchField }');
    const created = await harness.graphql(ADD, vars());
    const text = await metricsText(harness);

    expect(created.body.data!.addThread.__typename).toBe('AddThreadSuccess');
    expect(sample(text, 'graphql_operations_total{operation="Broken",type="query",result="invalid"}')).toBe(1);
    expect(sample(text, 'graph_upstream_retries_total{operation="createThread",reason="429"}')).toBe(1);
    expect(sample(text, 'graph_upstream_requests_total{operation="createThread",status="429"}')).toBe(1);
    expect(sample(text, 'graph_upstream_requests_total{operation="createThread",status="201"}')).toBe(1);
  });

  it('metrics bound operation names from clients', async () => {
    harness = await startHarness();

    await harness.graphql('{ __typename }');
    await harness.graphql(`query ${'A'.repeat(80)} { __typename }`);
    const text = await metricsText(harness);

    expect(sample(text, 'graphql_operations_total{operation="anonymous",type="query",result="success"}')).toBe(1);
    expect(sample(text, 'graphql_operations_total{operation="other",type="query",result="success"}')).toBe(1);
  });

  it('traceparent reaches Graph with the caller trace id', async () => {
    harness = await startHarness();

    const headers = { authorization: `Bearer ${TOKEN_A}`, traceparent: CALLER_TRACEPARENT, 'client-request-id': CLIENT_REQUEST_ID };
    await harness.graphql(ADD, vars(), headers);
    harness.fake.faults.add({ method: 'POST', status: 403, code: 'ErrorAccessDenied' });
    const denied = await harness.graphql(ADD, vars(), headers);

    const posts = harness.fake.httpCalls('POST');
    expect(posts).toHaveLength(2);
    for (const call of posts) {
      expect(call.headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
      expect(call.headers.traceparent).not.toBe(CALLER_TRACEPARENT);
      expect(call.headers['client-request-id']).toBe(CLIENT_REQUEST_ID);
    }
    expect(denied.body.data?.addThread.clientRequestId).toBe(CLIENT_REQUEST_ID);

    const failure = harness.logLines.map((line) => JSON.parse(line)).find((entry) => entry.code === 'ErrorAccessDenied');
    expect(failure).toMatchObject({ traceId: TRACE_ID, clientRequestId: CLIENT_REQUEST_ID, status: 403 });
    expect(failure.requestId).toBe(denied.body.data?.addThread.requestId);
    expect(harness.logLines.join('\n')).not.toContain(TOKEN_A);
  });

  it('invalid traceparent is not forwarded', async () => {
    harness = await startHarness();

    await harness.graphql(ADD, vars(), { authorization: `Bearer ${TOKEN_A}`, traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` });
    await harness.graphql(ADD, vars());

    const posts = harness.fake.httpCalls('POST');
    expect(posts).toHaveLength(2);
    expect(posts[0]!.headers.traceparent).toBeUndefined();
    expect(posts[1]!.headers.traceparent).toBeUndefined();
  });

  it('health and readiness answer', async () => {
    harness = await startHarness();
    const get = (path: string) => harness!.gateway.yoga.fetch(`http://gateway.test${path}`);

    expect((await get('/health')).status).toBe(200);
    const ready = await get('/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });

    harness.gateway.readiness.ready = false;
    const draining = await get('/ready');
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ status: 'shutting down' });
    expect((await get('/health')).status).toBe(200);
  });

  it('shutdown flips readiness while a mutation completes', async () => {
    harness = await startHarness();
    const running = await serve(harness.gateway, { port: 0, host: '127.0.0.1', drainMs: 300, shutdownTimeoutMs: 5_000 });
    const origin = new URL(running.url).origin;
    harness.fake.faults.add({ method: 'POST', delayMs: 800 });

    const mutation = fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_A}` },
      body: JSON.stringify({ query: ADD, variables: vars() }),
    });
    await expect.poll(() => harness!.fake.httpCalls('POST').length, { timeout: 5_000, interval: 10 }).toBe(1);
    expect((await fetch(`${origin}/ready`)).status).toBe(200);

    const stopped = running.shutdown();
    const readiness = await fetch(`${origin}/ready`);
    const response = await mutation;
    const body = (await response.json()) as { data?: any };
    await stopped;

    expect(readiness.status).toBe(503);
    expect(response.status).toBe(200);
    expect(body.data?.addThread.__typename).toBe('AddThreadSuccess');
    expect(harness.fake.store.allThreads().some((thread) => thread.id === body.data?.addThread.thread.id)).toBe(true);
    await expect(fetch(`${origin}/health`)).rejects.toThrow();
  });
});
