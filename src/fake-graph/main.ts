/**
 * The fake Graph as a process of its own, for load benchmarks: no delay, no faults, calls counted
 * but not logged. It listens on 127.0.0.1, prints its base URL on stdout and, when started with
 * an IPC channel, sends the ids it seeded and handles two messages:
 * `{ type: 'counts' }` with `{ type: 'counts', counts }`, and `{ type: 'clear' }`, which forgets
 * the threads created in the load conversation and replies `{ type: 'cleared' }`.
 *
 * Usage: node dist/fake-graph/main.js [--port N]
 */
import { parseArgs } from 'node:util';
import { FakeGraph } from './server.js';

/** Threads seeded in the read conversation: enough for two full pages of 50. */
const READ_THREADS = 100;

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`Invalid --port ${JSON.stringify(values.port)}: expected an integer from 0 to 65535.\n`);
  process.exit(2);
}

const fake = new FakeGraph({ logCalls: false });
const groupId = fake.store.demo.groupId;
const load = fake.store.addConversation(groupId, 'Load conversation');
const reads = fake.store.addConversation(groupId, 'Read conversation');
for (let index = 0; index < READ_THREADS; index += 1) {
  fake.store.addThread(
    groupId,
    reads.id,
    {
      topic: `Seeded thread ${index}`,
      toRecipients: [{ emailAddress: { name: `Reader ${index}`, address: `reader${index}@example.com` } }],
      posts: [{ contentType: 'html', content: `<p>Seeded post ${index}</p>`, newParticipants: [] }],
    },
    'seed',
  );
}
const readThreadIds = [...reads.threadIds];

/** Drop the threads that load runs created, so that a long benchmark does not grow the store. */
function clearLoadThreads(): void {
  const group = fake.store.group(groupId)!;
  for (const id of load.threadIds) group.threads.delete(id);
  load.threadIds.length = 0;
}

const url = await fake.listen(port, '127.0.0.1');
process.stdout.write(`fake Microsoft Graph listening at ${url}\n`);
process.send?.({ type: 'ready', url, groupId, loadConversationId: load.id, readConversationId: reads.id, readThreadIds });

process.on('message', (message: { type?: string }) => {
  if (message.type === 'counts') process.send?.({ type: 'counts', counts: { ...fake.callCounts } });
  if (message.type === 'clear') {
    clearLoadThreads();
    process.send?.({ type: 'cleared' });
  }
});
// The IPC channel closes when the parent goes away; the fake should not outlive it.
process.on('disconnect', () => {
  void fake.close().then(() => process.exit(0));
});
process.on('SIGTERM', () => {
  void fake.close().then(() => process.exit(0));
});
