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
  page: z.union([z.object({ skiptoken: z.string().max(4096) }), z.object({ skip: z.number().int().min(0) }), z.null()]),
  offset: z.number().int().min(0).max(1000),
});

/** Encode a position as an opaque cursor. It holds Graph's paging token, never a URL. */
export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify({ v: 1, page: position.page ?? null, offset: position.offset })).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
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
  return { page: result.data.page ?? undefined, offset: result.data.offset };
}
