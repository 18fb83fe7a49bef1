import { GraphApiError, GraphTransportError } from './errors.js';
import type { GraphResult } from './client.js';
import { parseRetryAfter } from './retry.js';
import { wireErrorEnvelope } from './wire.js';

// Request ids are echoed into GraphQL errors, so only short printable values are kept.
const ALLOWED_REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

/** Return the first value of a response header; undici lists repeated headers as arrays. */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** True for `application/json` and `+json` media types, whatever their parameters. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;

  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/**
 * Turn Graph's response into a result or a typed error: a 2xx JSON body is a result, Graph's error
 * envelope is a `GraphApiError`, and anything else is a `GraphTransportError`.
 */
export function interpretResponse(
  operation: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
  nowMs: number,
): GraphResult | GraphApiError | GraphTransportError {
  const requestId = header(headers, 'request-id');
  const rawClientRequestId = header(headers, 'client-request-id');
  const clientRequestId =
    rawClientRequestId !== undefined && ALLOWED_REQUEST_ID.test(rawClientRequestId) ? rawClientRequestId : undefined;
  const isJson = isJsonMediaType(header(headers, 'content-type'));

  let body: unknown;
  let parsed = false;
  if (isJson && text.trim() !== '') {
    try {
      body = JSON.parse(text);
      parsed = true;
    } catch {
      parsed = false;
    }
  }

  if (status >= 200 && status < 300) {
    if (parsed) return { status, body, requestId, clientRequestId };

    let problem = 'a body that is not JSON';
    if (text.trim() === '') problem = 'an empty body';
    else if (isJson) problem = 'a body that is not complete JSON';
    return new GraphTransportError({
      operation,
      failure: 'bad-response',
      mayHaveReachedGraph: true,
      status,
      requestId,
      clientRequestId,
      message: `${operation} failed: Microsoft Graph responded ${status} with ${problem}.`,
    });
  }

  const envelope = parsed ? wireErrorEnvelope.safeParse(body) : undefined;
  const retryAfterSeconds = parseRetryAfter(header(headers, 'retry-after'), nowMs);
  if (envelope?.success) {
    const { code, message, innerError } = envelope.data.error;
    return new GraphApiError({
      operation,
      status,
      code,
      graphMessage: message,
      requestId: requestId ?? innerError?.['request-id'],
      clientRequestId: clientRequestId ?? innerError?.['client-request-id'],
      retryAfterSeconds,
    });
  }

  // Without Graph's envelope, only 401 and 429 still mean something specific to Graph.
  if (status === 401 || status === 429) {
    return new GraphApiError({
      operation,
      status,
      code: status === 401 ? 'InvalidAuthenticationToken' : 'TooManyRequests',
      graphMessage: status === 401 ? 'The access token was rejected.' : 'Too many requests.',
      requestId,
      clientRequestId,
      retryAfterSeconds,
    });
  }
  return new GraphTransportError({
    operation: operation,
    failure: status >= 500 ? 'unavailable' : 'bad-response',
    mayHaveReachedGraph: true,
    status,
    requestId,
    clientRequestId,
    message: `${operation} failed: Microsoft Graph responded ${status} without its JSON error body.`,
  });
}
