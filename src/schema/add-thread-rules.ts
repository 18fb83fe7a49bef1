import { z } from 'zod';
import { checkGroupId, checkOutlookId } from '../graph/ids.js';
import { isRfc3339 } from './scalars.js';

/**
 * Input limits. Graph documents none of these. They keep one request from carrying absurd values
 * and are far above what real threads use: Exchange caps recipients per message at 500 by
 * default, and RFC 5321 caps addresses at 320 characters.
 */
export const LIMITS = {
  topic: 1_000,
  name: 256,
  address: 320,
  content: 1_000_000,
  recipients: 500,
  uniqueSenders: 500,
  preview: 1_000,
  idempotencyKey: 200,
} as const;

function quoted(input: unknown): string {
  const text = typeof input === 'string' ? input : String(input);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

const maxLength = (max: number, what: string) =>
  z.string().max(max, { error: (issue) => `${what} must be at most ${max} characters; got ${String(issue.input).length}` });

const idRule = (check: (value: string) => string | undefined) =>
  z.string().superRefine((value, context) => {
    const problem = check(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: `${problem}; got ${quoted(value)}` });
  });

const emailAddress = z.object({
  name: maxLength(LIMITS.name, 'name').nullish(),
  address: z
    .string()
    .max(LIMITS.address, { error: `address must be at most ${LIMITS.address} characters` })
    .pipe(z.email({ error: (issue) => `must be an email address such as someone@example.com; got ${quoted(issue.input)}` })),
});

const recipients = (what: string) =>
  z
    .array(z.object({ emailAddress }))
    .max(LIMITS.recipients, { error: `${what} must hold at most ${LIMITS.recipients} recipients` })
    .nullish();

const post = z.object({
  body: z.object({
    contentType: z.string(),
    content: z
      .string()
      .max(LIMITS.content, { error: `content must be at most ${LIMITS.content} characters` })
      .refine((value) => value.trim() !== '', { error: 'content must not be empty: write the first post of the thread' }),
  }),
  newParticipants: recipients('newParticipants'),
});

/**
 * Every rule of `AddThreadInput` in one schema, so that one response lists every invalid value
 * (validating field by field would stop at the first invalid field of each object).
 */
export const addThreadInputRules = z.object({
  groupId: idRule(checkGroupId),
  conversationId: idRule(checkOutlookId),
  topic: maxLength(LIMITS.topic, 'topic').nullish(),
  toRecipients: recipients('toRecipients'),
  ccRecipients: recipients('ccRecipients'),
  posts: z.array(post).max(1, { error: 'posts must hold at most one post: the first post of the new thread' }).nullish(),
  isLocked: z.boolean().nullish(),
  id: idRule(checkOutlookId).nullish(),
  hasAttachments: z.boolean().nullish(),
  lastDeliveredDateTime: z
    .string()
    .refine(isRfc3339, {
      error: (issue) => `must be an RFC 3339 date-time such as 2017-01-01T00:02:54.185054+03:00; got ${quoted(issue.input)}`,
    })
    .nullish(),
  uniqueSenders: z
    .array(maxLength(LIMITS.name, 'each uniqueSenders entry'))
    .max(LIMITS.uniqueSenders, { error: `uniqueSenders must hold at most ${LIMITS.uniqueSenders} entries` })
    .nullish(),
  preview: maxLength(LIMITS.preview, 'preview').nullish(),
  idempotencyKey: z
    .string()
    .regex(/^[\x21-\x7e]+$/, {
      error: (issue) => `idempotencyKey must be printable ASCII characters without spaces; got ${quoted(issue.input)}`,
    })
    .max(LIMITS.idempotencyKey, { error: `idempotencyKey must be at most ${LIMITS.idempotencyKey} characters` })
    .nullish(),
});
