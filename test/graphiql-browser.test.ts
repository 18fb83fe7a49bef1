import { mkdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { FakeGraph } from '../src/fake-graph/index.js';
import { createGateway } from '../src/gateway.js';
import { serve, type RunningServer } from '../src/server.js';
import { CHROMIUM_PATH, launchChromium, startPrefixProxy, type LaunchedBrowser, type PrefixProxy } from './browser-helpers.js';
import { captureLogger } from './helpers.js';

// Chromium parses about 9 MB of GraphiQL JavaScript per page; on a 2-core machine that takes seconds.
const BROWSER_TEST_TIMEOUT_MS = 90_000;
const SCREENSHOT_DIR = new URL('../test-output/', import.meta.url);

interface PageRecord {
  requests: string[];
  console: string[];
  pageErrors: string[];
}

/** Open GraphiQL, run its prefilled mutation with the run button and return what the page did. */
async function runPrefilledMutation(page: Page, url: string): Promise<PageRecord> {
  const record: PageRecord = { requests: [], console: [], pageErrors: [] };
  page.on('request', (request) => record.requests.push(request.url()));
  page.on('console', (message) => record.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => record.pageErrors.push(error.message));

  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(url, { waitUntil: 'load' });
  const runButton = page.locator('.graphiql-execute-button');
  await runButton.waitFor({ state: 'visible', timeout: 30_000 });
  // Wait for the prefilled mutation, so the click runs it and not an empty editor.
  await page.waitForFunction(() => document.querySelector('.graphiql-query-editor .view-lines')?.textContent?.includes('addThread'), undefined, { timeout: 30_000 });
  await runButton.click();
  return record;
}

/**
 * Wait until the result pane shows `expected` and return its text. The result editor wraps long
 * lines, so whitespace is removed before comparing; `expected` must contain none.
 */
async function responseText(page: Page, expected: string): Promise<string> {
  await page.waitForFunction(
    (text) => document.querySelector('.graphiql-response')?.textContent?.replace(/\s+/g, '').includes(text) ?? false,
    expected,
    { timeout: 30_000 },
  );
  return ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\s+/g, '');
}

/** Requests to anything but the gateway's origin; data: and blob: URLs never leave the browser. */
function foreignRequests(requests: string[], origin: string): string[] {
  return requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));
}

function cspViolations(record: PageRecord): string[] {
  return record.console.filter((line) => /Content Security Policy|Refused to/i.test(line));
}

// CI must run the browser tests, so there a missing CHROMIUM_PATH fails instead of skipping.
it.runIf(process.env.CI === 'true' && CHROMIUM_PATH === undefined)('CHROMIUM_PATH is set in CI', () => {
  expect.fail('Set CHROMIUM_PATH to a Chromium binary, such as /usr/bin/chromium from Debian\'s chromium package.');
});

describe.skipIf(CHROMIUM_PATH === undefined)('GraphiQL in Chromium', () => {
  let fake: FakeGraph;
  let running: RunningServer;
  let browser: LaunchedBrowser | undefined;
  let proxy: PrefixProxy | undefined;

  beforeEach(async () => {
    fake = new FakeGraph();
    const baseUrl = await fake.listen();
    // Static mode replaces a signed-in user's token, so the prefilled tab needs no headers.
    const config = loadConfig({ GRAPH_BASE_URL: baseUrl, GRAPH_AUTH: 'static', GRAPH_TOKEN: 'browser-test-token' });
    const gateway = createGateway({ config, logger: captureLogger().logger, demo: fake.store.demo });
    running = await serve(gateway, { port: 0, host: '127.0.0.1', drainMs: 0, shutdownTimeoutMs: 1_000 });
    browser = await launchChromium(CHROMIUM_PATH!);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });

  afterEach(async () => {
    await browser?.close();
    await proxy?.close();
    await running.shutdown();
    await fake.close();
    browser = undefined;
    proxy = undefined;
  });

  function createdThreadId(): string {
    const created = fake.store.allThreads().filter((thread) => thread.topic === 'Hello from GraphiQL');
    expect(created).toHaveLength(1);
    return created[0]!.id;
  }

  it('runs the prefilled addThread with self-hosted assets under a strict CSP', async () => {
    const page = await browser!.browser.contexts()[0]!.newPage();
    const origin = new URL(running.url).origin;

    const record = await runPrefilledMutation(page, running.url);
    await expect.poll(() => fake.httpCalls('POST').length, { timeout: 30_000 }).toBe(1);
    const threadId = createdThreadId();
    const text = await responseText(page, threadId);
    await page.screenshot({ path: new URL('graphiql-addthread.png', SCREENSHOT_DIR).pathname });

    expect(text).toContain('AddThreadSuccess');
    expect(foreignRequests(record.requests, origin)).toEqual([]);
    expect(record.requests).toContain(`${origin}/graphiql-assets/yoga-graphiql.js`);
    expect(cspViolations(record)).toEqual([]);
    expect(record.pageErrors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT_MS);

  for (const forwardedPrefixHeader of [false, true]) {
    it(`sends its requests to the prefixed URL behind a proxy (X-Forwarded-Prefix ${forwardedPrefixHeader ? 'set' : 'unset'})`, async () => {
      proxy = await startPrefixProxy(new URL(running.url).origin, '/teams/api', { forwardedPrefixHeader });
      const page = await browser!.browser.contexts()[0]!.newPage();

      const record = await runPrefilledMutation(page, `${proxy.origin}/teams/api/graphql`);
      await expect.poll(() => fake.httpCalls('POST').length, { timeout: 30_000 }).toBe(1);
      const threadId = createdThreadId();
      const text = await responseText(page, threadId);
      await page.screenshot({ path: new URL(`graphiql-prefix-${forwardedPrefixHeader ? 'header' : 'plain'}.png`, SCREENSHOT_DIR).pathname });

      expect(text).toContain('AddThreadSuccess');
      expect(foreignRequests(record.requests, proxy.origin)).toEqual([]);
      expect(proxy.paths.filter((path) => !path.startsWith('/teams/api/'))).toEqual([]);
      expect(proxy.paths).toContain('/teams/api/graphql');
      expect(cspViolations(record)).toEqual([]);

      const direct = await fetch(`${proxy.origin}/teams/api/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation AddThread($input: AddThreadInput!) { addThread(input: $input) { __typename } }', variables: { input: { groupId: fake.store.demo.groupId, conversationId: fake.store.demo.conversationId, topic: 'Direct post through the proxy' } } }),
      });
      expect(direct.status).toBe(200);
      expect(await direct.json()).toEqual({ data: { addThread: { __typename: 'AddThreadSuccess' } } });
    }, BROWSER_TEST_TIMEOUT_MS);
  }
});
