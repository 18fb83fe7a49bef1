import { graphError, type FakeRequest, type FakeResponse } from './http.js';
import { bearer } from './routes.js';

/** A socket-level fault; these need a real connection, so they work on a port only. */
export type TransportFault =
  /** Close the connection without a response. */
  | 'drop'
  /** Send the headers and half the body, then close the connection. */
  | 'truncate'
  /** Accept the request and never respond. */
  | 'stall'
  /** Send the headers and half the body, then send nothing more. */
  | 'stall-body';

/** One injected fault. The first rule that matches a request and has uses left applies to it. */
export interface FaultRule {
  method?: string;
  /** Matches when the raw request target contains this text, or when the pattern matches it. */
  path?: string | RegExp;
  /** Only requests carrying this bearer token. */
  token?: string;
  /** Match `$batch` sub-requests instead of top-level calls. */
  inBatch?: boolean;
  /** How many matching requests it applies to; 1 unless set. */
  times?: number;
  /** Wait this long before handling the request. */
  delayMs?: number;
  /** Let the request take effect first (a create stores its thread), then respond with the fault. */
  afterCommit?: boolean;
  /** Status of Graph's error envelope to respond with. */
  status?: number;
  code?: string;
  message?: string;
  /** Value of the `Retry-After` header, such as `2`, `1.5` or an HTTP date. */
  retryAfter?: string;
  headers?: Record<string, string>;
  /** Replace the answer's body: empty, an HTML page, or given text. */
  body?: 'empty' | 'html' | { text: string; contentType?: string };
  transport?: TransportFault;
  /** Builder of the whole response; returning undefined lets the fake respond normally. */
  respond?: (request: FakeRequest) => FakeResponse | undefined;
}

const DEFAULT_CODES: Record<number, [string, string]> = {
  400: ['BadRequest', 'The request is invalid.'],
  401: ['InvalidAuthenticationToken', 'Access token validation failure.'],
  403: ['ErrorAccessDenied', 'Access is denied. Check credentials and try again.'],
  404: ['ErrorItemNotFound', 'The specified object was not found in the store.'],
  429: ['TooManyRequests', 'Too many requests.'],
  500: ['generalException', 'An unexpected error occurred.'],
  502: ['generalException', 'An unexpected error occurred.'],
  503: ['serviceNotAvailable', 'The service is temporarily unavailable.'],
  504: ['generalException', 'The request timed out.'],
};

/** The fault rules of one fake, consumed in order. */
export class FaultList {
  private rules: Array<FaultRule & { remaining: number }> = [];

  add(...rules: FaultRule[]): void {
    for (const rule of rules) this.rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Find the rule for this request and use it up once. */
  take(request: FakeRequest, inBatch: boolean): FaultRule | undefined {
    const rule = this.rules.find((candidate) => candidate.remaining > 0 && matches(candidate, request, inBatch));
    if (rule === undefined) return undefined;

    rule.remaining -= 1;
    return rule;
  }
}

function matches(rule: FaultRule, request: FakeRequest, inBatch: boolean): boolean {
  if ((rule.inBatch ?? false) !== inBatch) return false;
  if (rule.method !== undefined && rule.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (rule.token !== undefined && bearer(request) !== rule.token) return false;
  if (typeof rule.path === 'string' && !request.target.includes(rule.path)) return false;
  if (rule.path instanceof RegExp && !rule.path.test(request.target)) return false;
  return true;
}

/** Build the error response that a rule sets, in Graph's envelope. */
export function faultError(request: FakeRequest, rule: FaultRule & { status: number }): FakeResponse {
  const [defaultCode, defaultMessage] = DEFAULT_CODES[rule.status] ?? ['UnknownError', 'An error occurred.'];
  return graphError(request, rule.status, rule.code ?? defaultCode, rule.message ?? defaultMessage);
}

/** Apply a rule's header and body overrides to a response. */
export function decorate(response: FakeResponse, rule: FaultRule): FakeResponse {
  const headers = { ...response.headers, ...rule.headers };
  if (rule.retryAfter !== undefined) headers['retry-after'] = rule.retryAfter;

  let body = response.body;
  if (rule.body === 'empty') {
    body = '';
  } else if (rule.body === 'html') {
    body = '<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>';
    headers['content-type'] = 'text/html; charset=utf-8';
  } else if (rule.body !== undefined) {
    body = rule.body.text;
    if (rule.body.contentType !== undefined) headers['content-type'] = rule.body.contentType;
  }
  return { status: response.status, headers, body };
}
