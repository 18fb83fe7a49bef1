import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort, spawnNode, stop } from './processes.js';
import type { FakeInfo } from './requests.js';

/** CPUs the processes are pinned to: the gateway alone on one, the fake and the load generator on the other. */
export const GATEWAY_CPU = 1;
export const LOAD_CPU = 0;

export interface RunningChild {
  child: ChildProcess;
  pid: number;
}

export interface RunningGateway extends RunningChild {
  url: string;
}

/** Start the bench fake (`dist/fake-graph/main.js`) and wait for the ids it seeded. */
export async function startFake(): Promise<RunningChild & { info: FakeInfo }> {
  const child = spawnNode(['dist/fake-graph/main.js'], LOAD_CPU, process.env, true);
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error('the bench fake exited before it was ready');
    }),
  ])) as [FakeInfo & { type: string }];
  return { child, pid: child.pid!, info: message };
}

/** Ask the bench fake over IPC and wait for the reply of type `replyType`. */
export async function askFake<T>(fake: ChildProcess, type: string, replyType: string): Promise<T> {
  const reply = new Promise<T>((resolve) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== replyType) return;
      fake.off('message', onMessage);
      resolve(message as T);
    };
    fake.on('message', onMessage);
  });
  fake.send({ type });
  return reply;
}

export function gatewayEnv(port: number, graphBaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    GRAPH_BASE_URL: graphBaseUrl,
    GRAPH_AUTH: 'passthrough',
    LOG_LEVEL: 'warn',
    GRAPHIQL: 'false',
    NODE_ENV: 'production',
    // All bench requests go to one group. Real Graph allows 4 concurrent calls per mailbox, but the
    // fake has no such limit, and the bench measures the gateway's own cost, not that queue.
    GRAPH_MAILBOX_CONCURRENCY: '100',
  };
}

/**
 * Start the gateway (`entry`, by default the bundled `dist/main.js`) pinned to its CPU, and return
 * once `firstRequest` gets a correct response, with the milliseconds from spawning to that response.
 */
export async function startGateway(
  graphBaseUrl: string,
  firstRequest: (url: string) => Promise<boolean>,
  nodeOptions: string[] = [],
  entry = 'dist/main.js',
): Promise<RunningGateway & { firstAnswerMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const startedAt = performance.now();
  const child = spawnNode([...nodeOptions, entry], GATEWAY_CPU, gatewayEnv(port, graphBaseUrl));
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout!.resume();

  const deadline = startedAt + 30_000;
  for (;;) {
    if (child.exitCode !== null || performance.now() > deadline) {
      await stop(child);
      throw new Error(`the gateway sent no correct response within 30 s:\n${output}`);
    }
    const answered = await firstRequest(url).catch(() => false);
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { child, pid: child.pid!, url, firstAnswerMs: performance.now() - startedAt };
}
