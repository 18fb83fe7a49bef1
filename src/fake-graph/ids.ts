import { createHash, randomBytes } from 'node:crypto';

/**
 * Outlook-style ids: URL-safe base64 with `=` padding, starting `AAQk` like the ids in Graph's
 * docs, at the lengths seen there (conversations 80 characters, threads 108). The bytes carry no
 * meaning here; real ids embed mailbox GUIDs, which nothing may parse.
 */
function outlookId(byteLength: number, seed?: string): string {
  const prefix = Buffer.from([0x00, 0x04, 0x24]);
  const rest =
    seed === undefined
      ? randomBytes(byteLength - prefix.length)
      : expand(seed, byteLength - prefix.length);
  return Buffer.concat([prefix, rest]).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

function expand(seed: string, length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let counter = 0; chunks.length * 32 < length; counter += 1) {
    chunks.push(createHash('sha256').update(`${seed}:${counter}`).digest());
  }
  return Buffer.concat(chunks).subarray(0, length);
}

/** Generate a conversation id of 80 characters ending in one `=`. The same seed gives the same id. */
export function conversationId(seed?: string): string {
  return outlookId(59, seed);
}

/** Generate a thread id of 108 characters ending in `==`. The same seed gives the same id. */
export function threadId(seed?: string): string {
  return outlookId(79, seed);
}

/** Outlook ids in Graph's docs use base64 characters only; anything else is malformed. */
export function looksLikeOutlookId(value: string): boolean {
  return /^[A-Za-z0-9+/_=-]{8,}$/.test(value);
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
