import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.js';

const HTML = { accept: 'text/html' };

describe('GraphiQL page', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('links only gateway files under a nonce CSP', async () => {
    harness = await startHarness();

    const response = await harness.gateway.yoga.fetch('http://gateway.test/graphql', { headers: HTML });
    const html = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(nonce).toBeDefined();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toContain('unpkg');
    expect(html).not.toMatch(/<script>/);
  });

  it('uses a new nonce for each response', async () => {
    harness = await startHarness();

    const first = await harness.gateway.yoga.fetch('http://gateway.test/graphql', { headers: HTML });
    const second = await harness.gateway.yoga.fetch('http://gateway.test/graphql', { headers: HTML });

    expect(first.headers.get('content-security-policy')).not.toBe(second.headers.get('content-security-policy'));
  });

  it('serves its scripts, workers and fonts', async () => {
    harness = await startHarness();

    for (const name of ['setup.js', 'yoga-graphiql.js', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      const response = await harness.gateway.yoga.fetch(`http://gateway.test/graphiql-assets/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toContain('javascript');
    }
    const css = await (await harness.gateway.yoga.fetch('http://gateway.test/graphiql-assets/graphiql.css')).text();
    expect(css).not.toContain('data:');
    const font = /url\(([0-9a-f]{16}\.woff2)\)/.exec(css)?.[1];
    expect(font).toBeDefined();
    const fontResponse = await harness.gateway.yoga.fetch(`http://gateway.test/graphiql-assets/${font}`);
    expect(fontResponse.headers.get('content-type')).toBe('font/woff2');
    expect((await harness.gateway.yoga.fetch('http://gateway.test/graphiql-assets/missing.js')).status).toBe(404);
  });

  it('is not served in production unless enabled', async () => {
    harness = await startHarness({ env: { NODE_ENV: 'production' } });

    const page = await harness.gateway.yoga.fetch('http://gateway.test/graphql', { headers: HTML });
    const asset = await harness.gateway.yoga.fetch('http://gateway.test/graphiql-assets/setup.js');

    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await page.text()).not.toContain('graphiql-assets');
    expect(asset.status).toBe(404);
  });
});
