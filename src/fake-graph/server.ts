import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Chaos, type ChaosOptions } from './chaos.js';
import { decorate, faultError, FaultList, type TransportFault } from './faults.js';
import { graphError, json, type FakeRequest, type FakeResponse } from './http.js';
import { bearer, route, type RouteOptions } from './routes.js';
import { FakeStore } from './store.js';

export interface FakeGraphOptions extends Partial<Omit<RouteOptions, 'store'>> {
  /** Random faults on top-level calls that no fault rule matched, for soak tests. */
  chaos?: ChaosOptions;
  /** Order of `$batch` sub-responses. Graph returns them in any order, so the fake reverses them unless this option is `in-order`. */
  batchOrder?: 'reverse' | 'in-order';
  /** False leaves `calls` empty and only counts in `callCounts`, so a long load run does not fill memory. Defaults to true. */
  logCalls?: boolean;
}

/** Requests received since the fake started, whether or not `calls` logs them. */
export interface FakeCallCounts {
  /** Top-level HTTP requests, `$batch` calls included. */
  http: number;
  /** Sub-requests inside `$batch` calls. */
  inBatch: number;
}

/** One request the fake received; `$batch` sub-requests are logged too, with `inBatch` set. */
export interface FakeCall {
  seq: number;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  method: string;
  target: string;
  headers: Record<string, string>;
  body: string;
  token: string | undefined;
  inBatch: boolean;
  /** The response status; undefined while in flight or when the connection was dropped. */
  status?: number;
  /** Milliseconds since the epoch when the response was ready or the connection dropped. */
  finishedAt?: number;
}

interface Outcome {
  response: FakeResponse | undefined;
  transport: TransportFault | undefined;
}

const MAX_BATCH_REQUESTS = 20;

/**
 * An in-memory Microsoft Graph for group conversation threads. It serves the thread endpoints
 * and `$batch` under `/v1.0`, in-process through `fetch` and on a loopback port through `listen`,
 * logs every call, and injects faults that tests add to `faults`.
 */
export class FakeGraph {
  readonly store: FakeStore;
  readonly faults = new FaultList();
  readonly calls: FakeCall[] = [];
  readonly callCounts: FakeCallCounts = { http: 0, inBatch: 0 };
  private readonly logCalls: boolean;
  private readonly options: RouteOptions;
  private readonly batchOrder: 'reverse' | 'in-order';
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private seq = 0;
  private chaos: Chaos | undefined;

  constructor(options: FakeGraphOptions = {}) {
    this.store = new FakeStore();
    this.options = {
      store: this.store,
      createResponse: options.createResponse ?? 'full',
      propagationDelayMs: options.propagationDelayMs ?? 0,
      acceptToken: options.acceptToken ?? (() => true),
      listOmitsRecipients: options.listOmitsRecipients ?? false,
      defaultPageSize: options.defaultPageSize ?? 10,
    };
    this.batchOrder = options.batchOrder ?? 'reverse';
    this.logCalls = options.logCalls ?? true;
    this.chaos = options.chaos ? new Chaos(options.chaos) : undefined;
  }

  /** Change how the fake responds from now on, such as `createResponse`. */
  configure(options: Partial<Omit<RouteOptions, 'store'>>): void {
    Object.assign(this.options, options);
  }

  /** Top-level calls, without `$batch` sub-requests, optionally of one method. */
  httpCalls(method?: string): FakeCall[] {
    return this.calls.filter((call) => !call.inBatch && (method === undefined || call.method === method));
  }

  /** Maximum number of top-level calls in flight at once whose target contains `pathPart`. */
  maxConcurrent(pathPart = ''): number {
    const events = this.httpCalls()
      .filter((call) => call.target.includes(pathPart))
      .flatMap((call) => [
        { at: call.at, delta: 1 },
        { at: call.finishedAt ?? Number.MAX_SAFE_INTEGER, delta: -1 },
      ])
      .sort((a, b) => a.at - b.at || a.delta - b.delta);
    let current = 0;
    let max = 0;
    for (const event of events) {
      current += event.delta;
      max = Math.max(max, current);
    }
    return max;
  }

  /** Forget the call log and every fault rule. */
  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
  }

  private async process(request: FakeRequest, inBatch: boolean): Promise<Outcome> {
    const call: FakeCall = {
      seq: (this.seq += 1),
      at: Date.now(),
      method: request.method,
      target: request.target,
      headers: request.headers,
      body: request.body,
      token: bearer(request),
      inBatch,
    };
    if (inBatch) this.callCounts.inBatch += 1;
    else this.callCounts.http += 1;
    if (this.logCalls) this.calls.push(call);

    const rule = this.faults.take(request, inBatch) ?? (inBatch ? undefined : this.chaos?.draw());
    if (rule?.delayMs) await sleep(rule.delayMs);

    const transport = rule?.transport;
    const commits = rule === undefined || rule.afterCommit === true || transport === 'truncate' || transport === 'stall-body';
    if (!commits && (transport === 'drop' || transport === 'stall')) {
      call.finishedAt = Date.now();
      return { response: undefined, transport };
    }

    let response = rule?.respond?.(request);
    if (response === undefined) {
      if (rule?.status !== undefined && !rule.afterCommit) {
        response = faultError(request, { ...rule, status: rule.status });
      } else {
        response = await this.answer(request);
        if (rule?.status !== undefined) response = faultError(request, { ...rule, status: rule.status });
      }
    }
    if (rule !== undefined) response = decorate(response, rule);

    call.status = transport === 'drop' || transport === 'stall' ? undefined : response.status;
    call.finishedAt = Date.now();
    return { response, transport };
  }

  private async answer(request: FakeRequest): Promise<FakeResponse> {
    const path = request.target.split('?', 1)[0];
    if (path === '/v1.0/$batch' && request.method.toUpperCase() === 'POST') return this.batch(request);
    return route(request, this.options);
  }

  private async batch(request: FakeRequest): Promise<FakeResponse> {
    if (bearer(request) === undefined) return route(request, this.options);

    let requests: unknown;
    try {
      requests = (JSON.parse(request.body) as { requests?: unknown }).requests;
    } catch {
      return graphError(request, 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
    }
    if (!Array.isArray(requests) || requests.length === 0) {
      return graphError(request, 400, 'BadRequest', 'Invalid batch payload format: "requests" must be a non-empty array.');
    }
    // ASSUMPTION: Graph's exact message for an oversized batch is not documented.
    if (requests.length > MAX_BATCH_REQUESTS) {
      return graphError(request, 400, 'BadRequest', `Invalid batch payload format: a batch may contain at most ${MAX_BATCH_REQUESTS} requests.`);
    }

    const subRequests: Array<{ id: string; request: FakeRequest }> = [];
    const seen = new Set<string>();
    for (const item of requests as Array<Record<string, unknown>>) {
      const { id, method, url, headers, body } = item ?? {};
      if (typeof id !== 'string' || id === '' || typeof method !== 'string' || typeof url !== 'string') {
        return graphError(request, 400, 'BadRequest', 'Invalid batch payload format: each request needs an id, a method and a url.');
      }
      if (seen.has(id.toLowerCase())) {
        return graphError(request, 400, 'BadRequest', `Invalid batch payload format: the request id '${id}' is used more than once.`);
      }
      seen.add(id.toLowerCase());
      if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
        return graphError(request, 400, 'BadRequest', `Invalid batch payload format: the url '${url}' must be relative to the version root.`);
      }
      if (body !== undefined && (typeof headers !== 'object' || headers === null)) {
        return graphError(request, 400, 'BadRequest', `Invalid batch payload format: request '${id}' has a body but no headers.`);
      }

      const subHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries((headers as Record<string, unknown> | undefined) ?? {})) {
        subHeaders[name.toLowerCase()] = String(value);
      }
      subHeaders.authorization = request.headers.authorization ?? '';
      if (request.headers['client-request-id'] !== undefined) subHeaders['client-request-id'] = request.headers['client-request-id'];
      subRequests.push({
        id,
        request: {
          method,
          target: `/v1.0${url.startsWith('/') ? '' : '/'}${url}`,
          headers: subHeaders,
          body: body === undefined ? '' : JSON.stringify(body),
          origin: request.origin,
        },
      });
    }

    const responses = await Promise.all(
      subRequests.map(async ({ id, request: subRequest }) => {
        const outcome = await this.process(subRequest, true);
        const response = outcome.response ?? graphError(subRequest, 502, 'generalException', 'The sub-request failed.');
        let body: unknown = null;
        if (response.body !== '') {
          try {
            body = JSON.parse(response.body);
          } catch {
            body = response.body;
          }
        }
        const headers: Record<string, string> = { 'content-type': response.headers['content-type'] ?? 'application/json' };
        if (response.headers['retry-after'] !== undefined) headers['retry-after'] = response.headers['retry-after'];
        return { id, status: response.status, headers, body };
      }),
    );
    if (this.batchOrder === 'reverse') responses.reverse();
    return json(request, 200, { responses });
  }

  /** Handle a WHATWG `Request` in-process. A socket-level fault cannot happen here, so it throws a TypeError instead. */
  async fetch(input: Request): Promise<Response> {
    const url = new URL(input.url);
    const headers: Record<string, string> = {};
    input.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const request: FakeRequest = {
      method: input.method,
      target: url.pathname + url.search,
      headers,
      body: await input.text(),
      origin: url.origin,
    };

    const outcome = await this.process(request, false);
    if (outcome.transport !== undefined || outcome.response === undefined) {
      throw new TypeError(`fetch failed: the fake Graph's "${outcome.transport}" fault needs a real connection`);
    }
    const { status, headers: responseHeaders, body } = outcome.response;
    return new Response(status === 204 ? null : body, { status, headers: responseHeaders });
  }

  private handleNode(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        target: req.url ?? '/',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        origin: `http://${req.headers.host ?? '127.0.0.1'}`,
      };
      this.process(request, false).then(
        (outcome) => this.write(req, res, outcome),
        () => req.socket.destroy(),
      );
    });
  }

  private write(req: IncomingMessage, res: ServerResponse, outcome: Outcome): void {
    const { response, transport } = outcome;
    if (transport === 'stall') return;
    if (transport === 'drop' || response === undefined) {
      req.socket.destroy();
      return;
    }

    const body = Buffer.from(response.body, 'utf8');
    res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
    if (transport === 'truncate' || transport === 'stall-body') {
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      if (transport === 'truncate') setImmediate(() => req.socket.destroy());
      return;
    }
    res.end(body);
  }

  /** Listen on a loopback port (0 picks a free one) and return the versioned base URL, ending `/v1.0`. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => this.handleNode(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${hostPart}:${address.port}/v1.0`;
  }

  /** Stop listening and close every open connection, including stalled ones. */
  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;

    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Number of currently open connections, for tests that check a cancelled call was closed. */
  openConnections(): number {
    return this.sockets.size;
  }
}
