import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { checkGroupId, checkOutlookId } from '../graph/ids.js';
import type { ThreadData } from '../graph/threads.js';
import { builder } from './builder.js';
import { decodeCursor, encodeCursor, listKey, type Position } from './cursor.js';
import { ErrorCode, toGraphQLError } from './errors.js';
import { Recipient } from './recipient.js';
import { refFromThread, threadProperty, type ThreadRef } from './thread-ref.js';

export const ConversationThread = builder.objectRef<ThreadRef>('ConversationThread');

ConversationThread.implement({
  description: 'A thread of a Microsoft 365 group conversation: Graph\'s conversationThread plus the ids that locate it.',
  fields: (t) => ({
    id: t.exposeID('id'),
    groupId: t.exposeID('groupId'),
    conversationId: t.id({
      nullable: true,
      description: 'Null when the thread was read without its conversation, because Graph\'s thread resource does not carry it.',
      resolve: (ref) => ref.conversationId,
    }),
    topic: t.string({ nullable: true, resolve: (ref, _args, context) => threadProperty(ref, 'topic', context) }),
    toRecipients: t.field({
      type: [Recipient],
      nullable: true,
      resolve: (ref, _args, context) => threadProperty(ref, 'toRecipients', context),
    }),
    ccRecipients: t.field({
      type: [Recipient],
      nullable: true,
      resolve: (ref, _args, context) => threadProperty(ref, 'ccRecipients', context),
    }),
    hasAttachments: t.boolean({ nullable: true, resolve: (ref, _args, context) => threadProperty(ref, 'hasAttachments', context) }),
    lastDeliveredDateTime: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (ref, _args, context) => threadProperty(ref, 'lastDeliveredDateTime', context),
    }),
    uniqueSenders: t.stringList({ nullable: true, resolve: (ref, _args, context) => threadProperty(ref, 'uniqueSenders', context) }),
    preview: t.string({ nullable: true, resolve: (ref, _args, context) => threadProperty(ref, 'preview', context) }),
    isLocked: t.boolean({ nullable: true, resolve: (ref, _args, context) => threadProperty(ref, 'isLocked', context) }),
  }),
});

function checkIds(ids: Array<[string, string | null | undefined, (value: string) => string | undefined]>): void {
  for (const [name, value, check] of ids) {
    if (value === null || value === undefined) continue;
    const problem = check(value);
    if (problem !== undefined) {
      throw new GraphQLError(`${name} ${JSON.stringify(value.slice(0, 80))} is invalid: ${problem}.`, {
        extensions: { code: ErrorCode.badUserInput, argument: name },
      });
    }
  }
}

/** Load one thread through the request's loader; null when Graph does not know it. */
async function loadThread(context: GatewayContext, groupId: string, id: string): Promise<ThreadData | null> {
  try {
    return await context.threadLoader().load({ groupId, threadId: id });
  } catch (error) {
    throw toGraphQLError(error);
  }
}

builder.asEntity(ConversationThread, {
  key: builder.selection<{ groupId: string; id: string }>('groupId id'),
  resolveReference: async ({ groupId, id }, context) => {
    checkIds([['groupId', groupId, checkGroupId], ['id', id, checkOutlookId]]);
    const thread = await loadThread(context, groupId, id);
    if (thread === null) {
      throw new GraphQLError(`Thread ${JSON.stringify(id)} was not found in group ${groupId}.`, {
        extensions: { code: ErrorCode.graphError, graphCode: 'ErrorItemNotFound', status: 404 },
      });
    }
    return refFromThread(groupId, null, thread);
  },
});

builder.queryField('thread', (t) =>
  t.field({
    type: ConversationThread,
    nullable: true,
    description: 'One thread of a group; null when Graph does not know it.',
    args: { groupId: t.arg.id({ required: true }), id: t.arg.id({ required: true }) },
    resolve: async (_root, { groupId, id }, context) => {
      checkIds([['groupId', groupId, checkGroupId], ['id', id, checkOutlookId]]);
      const thread = await loadThread(context, groupId, id);
      return thread === null ? null : refFromThread(groupId, null, thread);
    },
  }),
);

interface Edge {
  cursor: string;
  node: ThreadRef;
}

interface Connection {
  edges: Edge[];
  hasNextPage: boolean;
  endCursor: string | null;
}

const PageInfo = builder.objectRef<Connection>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.string({ nullable: true, resolve: (connection) => connection.endCursor }),
  }),
});

const ConversationThreadEdge = builder.objectRef<Edge>('ConversationThreadEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: ConversationThread, resolve: (edge) => edge.node }),
  }),
});

const ConversationThreadConnection = builder.objectRef<Connection>('ConversationThreadConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [ConversationThreadEdge], resolve: (connection) => connection.edges }),
    pageInfo: t.field({ type: PageInfo, resolve: (connection) => connection })
  }),
});

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;
/** Graph pages read for one `threads` field at most; a page can be short, so more than one may be needed. */
const MAX_PAGES_PER_FIELD = 5;

builder.queryField('threads', (t) =>
  t.field({
    type: ConversationThreadConnection,
    description: `Threads of a group, or of one conversation, newest first. \`first\` defaults to ${DEFAULT_PAGE_SIZE} and is at most ${MAX_PAGE_SIZE}.`,
    args: {
      groupId: t.arg.id({ required: true }),
      conversationId: t.arg.id(),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: async (_root, args, context) => {
      checkIds([['groupId', args.groupId, checkGroupId], ['conversationId', args.conversationId, checkOutlookId]]);
      const first = args.first ?? DEFAULT_PAGE_SIZE;
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
        throw new GraphQLError(`first must be from 1 to ${MAX_PAGE_SIZE}; got ${first}.`, {
          extensions: { code: ErrorCode.badUserInput, argument: 'first' },
        });
      }
      const conversationId = args.conversationId ?? undefined;
      const list = listKey(args.groupId, conversationId);
      let position: Position = args.after ? decodeCursor(args.after, list) : { page: undefined, offset: 0 };

      const edges: Edge[] = [];
      let hasNextPage = false;
      for (let pages = 0; pages < MAX_PAGES_PER_FIELD && edges.length < first; pages += 1) {
        let page;
        try {
          page = await context.threads().list(args.groupId, conversationId, first, position.page);
        } catch (error) {
          throw toGraphQLError(error);
        }

        const available = page.threads.slice(position.offset);
        const taken = available.slice(0, first - edges.length);
        taken.forEach((thread, index) => {
          const offset = position.offset + index + 1;
          // The last item of a page points at the next page, so paging on from it costs no extra read.
          const next: Position =
            offset >= page.threads.length && page.next !== undefined ? { page: page.next, offset: 0 } : { page: position.page, offset };
          edges.push({ cursor: encodeCursor(next, list), node: refFromThread(args.groupId, conversationId ?? null, thread) });
        });

        hasNextPage = taken.length < available.length || page.next !== undefined;
        if (taken.length < available.length || page.next === undefined) break;
        position = { page: page.next, offset: 0 };
      }

      return { edges, hasNextPage, endCursor: edges.at(-1)?.cursor ?? null };
    },
  }),
);
