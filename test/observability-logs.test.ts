import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThreadsApi } from '../src/graph/threads.js';
import { summarizeConfig } from '../src/observability/config-summary.js';
import { serve } from '../src/server.js';
import { ADD, startHarness, vars, type Harness } from './helpers.js';

const SECRET_TOKEN = 'eyJ0eXAiOiJKV1QiSecretCallerToken5b';
const STATIC_TOKEN = 'StaticGraphTokenThatMustNotLeak5b';
const SECRET_CONTENT = '<p>Confidential quarterly numbers 5b</p>';
const SECRET_ADDRESS = 'confidential.person@example.com';
const CLIENT_REQUEST_ID = '7f0c2b3e-0000-4000-8000-000000000001';

/** Build the default variables with known post content and a known address. */
function secretVars() {
  return vars({
    posts: [
      {
        body: { contentType: 'HTML', content: SECRET_CONTENT },
        newParticipants: [{ emailAddress: { name: 'Confidential Person', address: SECRET_ADDRESS } }],
      },
    ],
    toRecipients: [{ emailAddress: { address: SECRET_ADDRESS } }],
  });
}

function entries(lines: string[]): Array<Record<string, any>> {
  return lines.map((line) => JSON.parse(line) as Record<string, any>);
}

describe('log output', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await harness?.close();
    harness = undefined;
  });

  it('never holds tokens, post content or addresses', async () => {
    harness = await startHarness({ env: { GRAPH_TIMEOUT_MS: '300', GRAPH_TOKEN: STATIC_TOKEN } });
    const running = await serve(harness.gateway, {
      port: 0,
      host: '127.0.0.1',
      drainMs: 0,
      shutdownTimeoutMs: 1_000,
      startFields: summarizeConfig(harness.config, 'fake'),
    });
    const headers = { authorization: `Bearer ${SECRET_TOKEN}`, 'client-request-id': CLIENT_REQUEST_ID };
    const send = async () => {
      const response = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: ADD, variables: secretVars() }),
      });
      return (await response.json()) as { data?: any; errors?: any[] };
    };

    const success = await send();
    harness.fake.faults.add({ method: 'POST', status: 403, code: 'ErrorAccessDenied' });
    const forbidden = await send();
    harness.fake.faults.add({ method: 'POST', status: 500 });
    const serverError = await send();
    harness.fake.faults.add({ method: 'POST', delayMs: 2_000 });
    const timeout = await send();
    vi.spyOn(ThreadsApi.prototype, 'create').mockRejectedValueOnce(new TypeError("Cannot read properties of undefined (reading 'id')"));
    const exception = await send();
    await running.shutdown();

    expect(success.data?.addThread.__typename).toBe('AddThreadSuccess');
    expect(forbidden.data?.addThread.code).toBe('ErrorAccessDenied');
    expect(serverError.data?.addThread.code).toBe('generalException');
    expect(timeout.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(exception.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');

    const output = harness.logLines.join('\n');
    expect(output).toContain('gateway started');
    expect(output).toContain('gateway stopped');
    for (const secret of [SECRET_TOKEN, STATIC_TOKEN, SECRET_CONTENT, 'Confidential quarterly', SECRET_ADDRESS, 'confidential.person']) {
      expect(output, secret).not.toContain(secret);
    }
  });

  it('writes one entry per failure with the ids and the duration', async () => {
    harness = await startHarness({ env: { GRAPH_TIMEOUT_MS: '300' } });
    const headers = { authorization: `Bearer ${SECRET_TOKEN}`, 'client-request-id': CLIENT_REQUEST_ID };

    harness.fake.faults.add({ method: 'POST', status: 500 });
    await harness.graphql(ADD, secretVars(), headers);
    harness.fake.faults.add({ method: 'POST', delayMs: 2_000 });
    await harness.graphql(ADD, secretVars(), headers);
    vi.spyOn(ThreadsApi.prototype, 'create').mockRejectedValueOnce(new TypeError('injected failure'));
    await harness.graphql(ADD, secretVars(), headers);

    const failures = entries(harness.logLines).filter((entry) => entry.level >= 40);
    expect(failures.map((entry) => entry.code)).toEqual(['generalException', 'UPSTREAM_TIMEOUT', 'INTERNAL_SERVER_ERROR']);

    const [serverError, timeout, exception] = failures;
    expect(serverError).toMatchObject({ level: 40, operation: 'createThread', status: 500, clientRequestId: CLIENT_REQUEST_ID });
    expect(serverError!.requestId).toEqual(expect.any(String));
    expect(serverError!.durationMs).toEqual(expect.any(Number));
    expect(serverError!.err).toBeUndefined();

    expect(timeout).toMatchObject({ level: 40, operation: 'createThread', clientRequestId: CLIENT_REQUEST_ID });
    expect(timeout!.durationMs).toBeGreaterThanOrEqual(250);
    expect(timeout!.err).toBeUndefined();

    expect(exception).toMatchObject({ level: 50, operation: 'AddThread', clientRequestId: CLIENT_REQUEST_ID, path: ['addThread'] });
    expect(exception!.durationMs).toEqual(expect.any(Number));
    expect(exception!.err.stack).toContain('TypeError: injected failure');
  });

  it('logs retries at warn through the retry hook', async () => {
    harness = await startHarness();

    harness.gateway.telemetry.upstreamRetrying({
      operation: 'getThread',
      attempt: 1,
      delayMs: 2_000,
      reason: '429',
      code: 'TooManyRequests',
      requestId: 'req-0001',
      clientRequestId: CLIENT_REQUEST_ID,
    });

    const retries = entries(harness.logLines).filter((entry) => entry.msg === 'Retrying Microsoft Graph call');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ level: 40, operation: 'getThread', attempt: 1, delayMs: 2_000, requestId: 'req-0001' });
  });
});
