import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../src/plugins/body-limit.js';
import { ADD, serveGateway, startHarness, TOKEN_A, vars, type Harness } from './helpers.js';

interface RawResponse {
  status: number;
  body: string;
}

/**
 * POST `body` over a real socket, with `Content-Length` or chunked. The gateway may respond and
 * close before the whole body is sent, so write errors after the response are expected.
 */
function post(url: string, body: Buffer, framing: 'content-length' | 'chunked'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_A}` };
    if (framing === 'content-length') headers['content-length'] = String(body.length);
    const req = request(url, { method: 'POST', headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });

    // 64 KiB pieces: in chunked framing each becomes one chunk.
    for (let offset = 0; offset < body.length; offset += 65_536) {
      req.write(body.subarray(offset, offset + 65_536));
    }
    req.end();
  });
}

function addThreadBody(contentLength: number): Buffer {
  const variables = vars({ posts: [{ body: { contentType: 'TEXT', content: 'x'.repeat(contentLength) } }] });
  return Buffer.from(JSON.stringify({ query: ADD, variables }));
}

describe('request body limit', () => {
  let harness: Harness | undefined;
  let server: { url: string; close: () => Promise<void> } | undefined;
  afterEach(async () => {
    await server?.close();
    await harness?.close();
    server = undefined;
    harness = undefined;
  });

  it.each(['content-length', 'chunked'] as const)('rejects a 5 MB body sent with %s', async (framing) => {
    harness = await startHarness();
    server = await serveGateway(harness.gateway);

    const response = await post(server.url, addThreadBody(5 * 1024 * 1024), framing);

    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(harness.fake.calls).toHaveLength(0);
  });

  it.each(['content-length', 'chunked'] as const)('accepts a body just under the cap with %s', async (framing) => {
    harness = await startHarness();
    server = await serveGateway(harness.gateway);
    const body = addThreadBody(900 * 1024);
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);

    const response = await post(server.url, body, framing);

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).data.addThread.__typename).toBe('AddThreadSuccess');
    expect(harness.fake.httpCalls('POST')).toHaveLength(1);
  });
});
