import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { PageToken } from '../graph/threads.js';
import { ErrorCode } from './errors.js';

/** A position in a thread list: the Graph page it is on and how many items of that page come before it. */
export interface Position {
  page: PageToken | undefined;
  offset: number;
}

const positionSchema = z.object({
  v: z.literal(1),
  list: z.string(),
  page: z.union([z.object({ skiptoken: z.string().max(4096) }), z.object({ skip: z.number().int().min(0) }), z.null()]),
  offset: z.number().int().min(0).max(1000),
});

/** Compute a short digest of the list a cursor belongs to, so that another list rejects the cursor. */
export function listKey(groupId: string, conversationId: string | undefined): string {
  return createHash('sha256').update(`${groupId.toLowerCase()}/${conversationId ?? ''}`).digest('base64url').slice(0, 16);
}

/** Encode a position in the list `list` as an opaque cursor. It contains Graph's paging token, never a URL. */
export function encodeCursor(position: Position, list: string): string {
  return Buffer.from(JSON.stringify({ v: 1, list, page: position.page ?? null, offset: position.offset })).toString('base64url');
}

/** Decode a cursor of the list `list`; throws `BAD_USER_INPUT` for anything else. */
export function decodeCursor(cursor: string, list: string): Position {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = positionSchema.safeParse(parsed);
  if (!result.success) {
    throw new GraphQLError(
      `after ${JSON.stringify(cursor.slice(0, 60))} is not a cursor from this API; pass an endCursor or edge cursor that threads returned.`,
      { extensions: { code: ErrorCode.badUserInput } },
    );
  }
  if (result.data.list !== list) {
    throw new GraphQLError(
      `after ${JSON.stringify(cursor.slice(0, 60))} is a cursor of another list; pass a cursor that this groupId and conversationId returned.`,
      { extensions: { code: ErrorCode.badUserInput } },
    );
  }
  return { page: result.data.page ?? undefined, offset: result.data.offset };
}
