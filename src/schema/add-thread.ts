import { InputValidationError } from '@pothos/plugin-validation';
import { GraphApiError } from '../graph/errors.js';
import type { WireNewThread, WireRecipientInput } from '../graph/wire.js';
import { addThreadInputRules } from './add-thread-rules.js';
import { builder } from './builder.js';
import { ConversationThread } from './conversation-thread.js';
import { GraphErrorResult, toGraphQLError } from './errors.js';
import { createThreadOnce, outcomeUnknown } from './idempotent-create.js';
import { refFromThread } from './thread-ref.js';

const BodyType = builder.enumType('BodyType', {
  description: 'Format of a post body: Graph\'s "text" or "html".',
  values: { TEXT: { value: 'text' }, HTML: { value: 'html' } } as const,
});

const EmailAddressInput = builder.inputType('EmailAddressInput', {
  fields: (t) => ({
    name: t.string(),
    address: t.string({ required: true }),
  }),
});

const RecipientInput = builder.inputType('RecipientInput', {
  fields: (t) => ({ emailAddress: t.field({ type: EmailAddressInput, required: true }) }),
});

const ItemBodyInput = builder.inputType('ItemBodyInput', {
  fields: (t) => ({
    contentType: t.field({ type: BodyType, required: true }),
    content: t.string({ required: true }),
  }),
});

const PostInput = builder.inputType('PostInput', {
  fields: (t) => ({
    body: t.field({ type: ItemBodyInput, required: true }),
    newParticipants: t.field({ type: [RecipientInput] }),
  }),
});

const AddThreadInput = builder.inputType('AddThreadInput', {
  fields: (t) => ({
    groupId: t.id({ required: true }),
    conversationId: t.id({ required: true }),
    topic: t.string(),
    toRecipients: t.field({ type: [RecipientInput] }),
    ccRecipients: t.field({ type: [RecipientInput] }),
    posts: t.field({
      type: [PostInput],
      description: 'The first post of the thread. Graph creates a thread from one post, so at most one is accepted.',
    }),
    isLocked: t.boolean(),
    id: t.id({ description: 'Sent as given; Graph assigns the id of a new thread itself.' }),
    hasAttachments: t.boolean({ description: 'Sent as given; Graph computes it from the posts.' }),
    lastDeliveredDateTime: t.field({ type: 'DateTime', description: 'Sent as given, unchanged; Graph computes it.' }),
    uniqueSenders: t.stringList({ description: 'Sent as given; Graph computes it from the posts.' }),
    preview: t.string({ description: 'Sent as given; Graph computes it from the posts.' }),
    idempotencyKey: t.string({
      description: 'Retrying with the same key and input returns the first result instead of creating a second thread.',
    }),
  }),
});

type AddThreadArgs = typeof AddThreadInput.$inferInput;

function recipients(list: ReadonlyArray<{ emailAddress: { name?: string | null; address: string } }>): WireRecipientInput[] {
  return list.map(({ emailAddress }) => ({
    emailAddress: emailAddress.name == null ? { address: emailAddress.address } : { name: emailAddress.name, address: emailAddress.address },
  }));
}

/**
 * Build Graph's request body from the input: Graph's names and nesting, lowercase body types,
 * and only the fields the caller set. Explicit nulls are left out, because every one of these
 * properties is non-nullable in Graph's schema.
 */
export function toNewThread(input: AddThreadArgs): WireNewThread {
  const body: WireNewThread = {};
  if (input.id != null) body.id = input.id;
  if (input.topic != null) body.topic = input.topic;
  if (input.toRecipients != null) body.toRecipients = recipients(input.toRecipients);
  if (input.ccRecipients != null) body.ccRecipients = recipients(input.ccRecipients);
  if (input.hasAttachments != null) body.hasAttachments = input.hasAttachments;
  if (input.lastDeliveredDateTime != null) body.lastDeliveredDateTime = input.lastDeliveredDateTime;
  if (input.uniqueSenders != null) body.uniqueSenders = [...input.uniqueSenders];
  if (input.preview != null) body.preview = input.preview;
  if (input.isLocked != null) body.isLocked = input.isLocked;
  if (input.posts != null) {
    body.posts = input.posts.map((post) => ({
      body: { contentType: post.body.contentType, content: post.body.content },
      ...(post.newParticipants != null ? { newParticipants: recipients(post.newParticipants) } : {}),
    }));
  }
  return body;
}

builder.mutationField('addThread', (t) =>
  t.field({
    type: ConversationThread,
    nullable: true,
    description: 'Start a thread in a group conversation. Expected failures come back as union members; see the README for top-level error codes.',
    args: { input: t.arg({ type: AddThreadInput, required: true, validate: addThreadInputRules }) },
    errors: {
      types: [InputValidationError, GraphErrorResult],
      result: { name: 'AddThreadSuccess' },
      union: { name: 'AddThreadResult' },
      dataField: { name: 'thread' },
    },
    resolve: async (_root, { input }, context) => {
      const request = { groupId: input.groupId, conversationId: input.conversationId, body: toNewThread(input) };
      try {
        const thread =
          input.idempotencyKey == null
            ? await context.threads().create(request.groupId, request.conversationId, request.body)
            : await createThreadOnce(context, request, input.idempotencyKey);
        const ref = refFromThread(input.groupId, input.conversationId, thread);
        ref.justCreated = true;
        return ref;
      } catch (error) {
        if (error instanceof GraphApiError && error.status !== 401) {
          throw new GraphErrorResult(error, outcomeUnknown(error));
        }
        throw toGraphQLError(error, true);
      }
    },
  }),
);
