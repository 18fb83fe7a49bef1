import type { FetchAPI, Plugin } from 'graphql-yoga';

/** The largest request body accepted, in bytes (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(fetchAPI: FetchAPI, maxBytes: number): Response {
  return new fetchAPI.Response(
    JSON.stringify({ errors: [{ message: `The request body is larger than ${maxBytes} bytes. Send a smaller body.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }),
    { status: 413, headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' } },
  );
}

/** Read at most `maxBytes` of the body; undefined as soon as it is longer, without reading the rest. */
async function readLimited(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<string | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;

  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;

    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, length).toString('utf8');
}

/**
 * Reject a body over `maxBytes` with 413 before Yoga parses it. A `Content-Length` over the cap is
 * rejected before any byte is read. A chunked body is counted while it streams in and dropped at
 * the first byte over the cap, so no oversized body is ever held in memory whole.
 */
export function useBodyLimit(maxBytes = MAX_BODY_BYTES): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      const declared = request.headers.get('content-length');
      if (declared !== null && Number(declared) > maxBytes) endResponse(tooLarge(fetchAPI, maxBytes));
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (requestParser === undefined || request.body === null || request.headers.get('content-length') !== null) return;

      const parse = requestParser;
      setRequestParser(async (streamed) => {
        const body = await readLimited(streamed.body!, maxBytes);
        if (body === undefined) return tooLarge(fetchAPI, maxBytes);
        return parse(new fetchAPI.Request(streamed.url, { method: streamed.method, headers: streamed.headers, body }));
      });
    },
  };
}
