import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../src/config.js';
import { FakeGraph, type FakeGraphOptions } from '../src/fake-graph/index.js';
import { createGateway, type Gateway, type GatewayOptions } from '../src/gateway.js';
import { createLogger } from '../src/logger.js';

export const GROUP_ID = '11111111-1111-4111-8111-111111111111';
export const CONVERSATION_ID = 'AAQkAGPlaceholder-Conv_0001=';
export const TOKEN_A = 'token-A';
export const TOKEN_B = 'token-B';

/** The default operation of the test cases: every member of the result union. */
export const ADD = /* GraphQL */ `
  mutation AddThread($input: AddThreadInput!) {
    addThread(input: $input) {
      __typename
      ... on AddThreadSuccess { thread { id topic lastDeliveredDateTime } }
      ... on ValidationError { code message issues { path message } }
      ... on GraphError { code message status requestId clientRequestId retryAfterSeconds outcomeUnknown }
    }
  }
`;

/** Build the default variables of the test cases, with `overrides` merged into the input. */
export function vars(overrides: Record<string, unknown> = {}, conversationId = CONVERSATION_ID) {
  return {
    input: {
      groupId: GROUP_ID,
      conversationId,
      topic: 'Placeholder topic',
      posts: [
        {
          body: { contentType: 'HTML', content: '<p>Placeholder body</p>' },
          newParticipants: [{ emailAddress: { name: 'Placeholder User', address: 'placeholder.user@example.com' } }],
        },
      ],
      ...overrides,
    },
  };
}

/** Graph's request body for the default variables. */
export const DEFAULT_GRAPH_BODY = {
  topic: 'Placeholder topic',
  posts: [
    {
      body: { contentType: 'html', content: '<p>Placeholder body</p>' },
      newParticipants: [{ emailAddress: { name: 'Placeholder User', address: 'placeholder.user@example.com' } }],
    },
  ],
};

/** Create a logger whose JSON lines are kept in `lines`, for tests that check what was logged. */
export function captureLogger(level: Config['logLevel'] = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      callback();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  };
}

export interface Harness {
  fake: FakeGraph;
  gateway: Gateway;
  config: Config;
  logLines: string[];
  /** Waits requested by the gateway, in milliseconds; the injected sleep returns at once. */
  sleeps: number[];
  /** Send a GraphQL request through the gateway in-process (`yoga.fetch`). */
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  fake?: FakeGraphOptions;
  /** Extra environment, read by `loadConfig` as the process would. */
  env?: Record<string, string>;
  /** Seed the fake with the default test group and conversation. */
  seed?: boolean;
  /** Really wait instead of recording sleeps. */
  realSleep?: boolean;
  /** Injected dependencies of the gateway, such as a credential provider. */
  inject?: Pick<GatewayOptions, 'credentials' | 'identityDispatcher' | 'idempotencyStore'>;
}

/** Start the fake Graph on a loopback port and a gateway pointed at it. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = new FakeGraph(options.fake);
  if (options.seed !== false) {
    fake.store.addGroup(GROUP_ID, 'Placeholder group');
    fake.store.addConversation(GROUP_ID, 'Placeholder topic', CONVERSATION_ID);
  }
  const baseUrl = await fake.listen();
  const config = loadConfig({ GRAPH_BASE_URL: baseUrl, GRAPH_TIMEOUT_MS: '5000', ...options.env });
  const { logger, lines } = captureLogger();
  const sleeps: number[] = [];
  // A clock that the injected sleep moves forward, so waits measured against it pass instantly.
  let skippedMs = 0;
  const gateway = createGateway({
    ...options.inject,
    config,
    logger,
    now: options.realSleep ? undefined : () => Date.now() + skippedMs,
    sleep: options.realSleep
      ? undefined
      : async (ms) => {
          sleeps.push(ms);
          skippedMs += ms;
          // Yield once, so that a loop waiting on another request lets that request progress.
          await new Promise((resolve) => setImmediate(resolve));
        },
  });

  return {
    fake,
    gateway,
    config,
    logLines: lines,
    sleeps,
    async graphql(query, variables, headers = { authorization: `Bearer ${TOKEN_A}` }) {
      const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    async close() {
      await gateway.close();
      await fake.close();
    },
  };
}

/** Serve a request handler on a loopback port; returns its base URL and a close function. */
export async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RecordedRequest {
  method: string;
  /** The raw request target, exactly as it arrived. */
  target: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
}

/** Start a stand-in for Graph that records every request byte for byte and responds with `reply`. */
export async function startRecordingStub(
  reply: (request: RecordedRequest) => { status: number; headers?: Record<string, string>; body?: string },
): Promise<{ url: string; requests: RecordedRequest[]; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        target: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const answer = reply(recorded);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  const { url, close } = await listen(server);
  return { url: `${url}/v1.0`, requests, close };
}

/** Serve the gateway on a real loopback socket. */
export async function serveGateway(gateway: Gateway): Promise<{ url: string; close: () => Promise<void> }> {
  const { url, close } = await listen(createServer(gateway.yoga));
  return { url: `${url}/graphql`, close };
}
