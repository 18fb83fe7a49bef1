import { randomUUID } from 'node:crypto';

/** A request as the fake receives it, whichever transport brought it. */
export interface FakeRequest {
  method: string;
  /** The raw request target: percent-encoded path and query, as sent. */
  target: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** Scheme and host that responses carry in `@odata.context` and `@odata.nextLink`. */
  origin: string;
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** `innerError.date` as Graph writes it: ISO 8601 without fraction or zone. */
function innerErrorDate(): string {
  return new Date().toISOString().slice(0, 19);
}

/** Build the headers Graph puts on every response: ids for support cases and its diagnostic header. */
export function graphHeaders(request: FakeRequest, requestId: string): Record<string, string> {
  const clientRequestId = request.headers['client-request-id'] || requestId;
  return {
    'request-id': requestId,
    'client-request-id': clientRequestId,
    'x-ms-ags-diagnostic': JSON.stringify({
      ServerInfo: { DataCenter: 'Loopback', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'FAKE-GRAPH' },
    }),
    'strict-transport-security': 'max-age=31536000',
    'cache-control': 'no-store',
    date: new Date().toUTCString(),
  };
}

export function json(request: FakeRequest, status: number, body: unknown, requestId = randomUUID()): FakeResponse {
  return {
    status,
    headers: { ...graphHeaders(request, requestId), 'content-type': ODATA_JSON, 'odata-version': '4.0' },
    body: JSON.stringify(body),
  };
}

/** Graph's JSON error envelope. Error responses use plain `application/json`. */
export function graphError(
  request: FakeRequest,
  status: number,
  code: string,
  message: string,
  requestId = randomUUID(),
): FakeResponse {
  const headers = graphHeaders(request, requestId);
  return {
    status,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      error: {
        code,
        message,
        innerError: { date: innerErrorDate(), 'request-id': requestId, 'client-request-id': headers['client-request-id'] },
      },
    }),
  };
}
