import { z } from 'zod';

/**
 * Microsoft Graph's JSON shapes for conversation threads (v1.0). Only the adapter sees these;
 * property names are Graph's.
 */

const emailAddress = z.object({
  name: z.string().nullish(),
  address: z.string().nullish(),
});

const recipient = z.object({ emailAddress: emailAddress.nullish() });

/** A thread as Graph returns it. Every property but `id` may be absent: Graph omits recipients unless selected. */
export const wireThread = z.object({
  id: z.string().min(1),
  topic: z.string().nullish(),
  toRecipients: z.array(recipient).nullish(),
  ccRecipients: z.array(recipient).nullish(),
  hasAttachments: z.boolean().nullish(),
  lastDeliveredDateTime: z.string().nullish(),
  uniqueSenders: z.array(z.string()).nullish(),
  preview: z.string().nullish(),
  isLocked: z.boolean().nullish(),
});

export type WireThread = z.infer<typeof wireThread>;
export type WireRecipient = z.infer<typeof recipient>;

export const wireThreadPage = z.object({
  value: z.array(wireThread),
  '@odata.nextLink': z.string().optional(),
});

export const wireErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().optional().default(''),
    innerError: z
      .object({
        'request-id': z.string().optional(),
        'client-request-id': z.string().optional(),
      })
      .optional(),
  }),
});

export const wireBatchResponse = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).nullish(),
      body: z.unknown().optional(),
    }),
  ),
});

/** The nine properties of Graph's conversationThread resource, in Graph's order. */
export const THREAD_PROPERTIES = [
  'id',
  'topic',
  'toRecipients',
  'ccRecipients',
  'hasAttachments',
  'lastDeliveredDateTime',
  'uniqueSenders',
  'preview',
  'isLocked',
] as const;

export type ThreadProperty = (typeof THREAD_PROPERTIES)[number];

export interface WireEmailAddressInput {
  name?: string;
  address: string;
}

export interface WireRecipientInput {
  emailAddress: WireEmailAddressInput;
}

export interface WirePostInput {
  body: { contentType: 'text' | 'html'; content: string };
  newParticipants?: WireRecipientInput[];
}

/** The create-thread request body: Graph's names and nesting, only the keys the caller set. */
export interface WireNewThread {
  id?: string;
  topic?: string;
  toRecipients?: WireRecipientInput[];
  ccRecipients?: WireRecipientInput[];
  hasAttachments?: boolean;
  lastDeliveredDateTime?: string;
  uniqueSenders?: string[];
  preview?: string;
  isLocked?: boolean;
  posts?: WirePostInput[];
}
