import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    // npm starts the gateway in a child process; signal the whole process group.
    process.kill(-child.pid, 'SIGTERM');
    await once(child, 'exit');
  }
});

/** Start `npm start` with a free port and wait until it prints its URL and demo ids. */
async function start(): Promise<{ url: string; output: () => string }> {
  let output = '';
  child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', GRAPH_BASE_URL: '', GRAPH_AUTH: '' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const deadline = Date.now() + 90_000;
  while (!/demo threadId/.test(output)) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start printed no ready line within 90 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = /ready at (http:\/\/\S+)/.exec(output)![1]!;
  return { url, output: () => output };
}

describe('npm start', () => {
  it('serves GraphiQL and creates a thread on the embedded fake', { timeout: 120_000 }, async () => {
    const { url, output } = await start();
    const groupId = /demo groupId:\s+(\S+)/.exec(output())![1]!;
    const conversationId = /demo conversationId:\s+(\S+)/.exec(output())![1]!;

    const page = await fetch(url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('GraphiQL');
    expect(html).toContain(conversationId);

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($input: AddThreadInput!) { addThread(input: $input) { __typename ... on AddThreadSuccess { thread { id topic } } } }',
        variables: { input: { groupId, conversationId, topic: 'From the start test', posts: [{ body: { contentType: 'TEXT', content: 'Hello' } }] } },
      }),
    });
    const body = (await response.json()) as { data: { addThread: { __typename: string; thread: { id: string; topic: string } } } };
    expect(body.data.addThread.__typename).toBe('AddThreadSuccess');
    expect(body.data.addThread.thread.topic).toBe('From the start test');

    // npm itself may die of the signal; what matters is that the gateway stops and frees its port.
    process.kill(-child!.pid!, 'SIGTERM');
    await once(child!, 'exit');
    await expect.poll(() => fetch(url).then(() => 'open', () => 'closed'), { timeout: 15_000 }).toBe('closed');
  });

  it('stops on SIGTERM after its log reader went away', { timeout: 60_000 }, async () => {
    // Runs the build that the previous test made with npm start.
    const gateway = spawn(process.execPath, ['dist/main.js'], {
      cwd: root,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', GRAPH_BASE_URL: '', GRAPH_AUTH: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let banner = '';
      gateway.stderr!.on('data', (chunk: Buffer) => (banner += chunk.toString()));
      await expect.poll(() => banner.includes('demo threadId'), { timeout: 30_000 }).toBe(true);

      // Close the reading end of stdout, as a log shipper that stopped would.
      gateway.stdout!.destroy();
      gateway.kill('SIGTERM');
      const exited = once(gateway, 'exit');
      const deadline = new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000));

      expect(await Promise.race([exited.then(() => 'exited'), deadline])).toBe('exited');
    } finally {
      if (gateway.exitCode === null && gateway.signalCode === null) gateway.kill('SIGKILL');
    }
  });
});
