import { InvalidIdError } from './errors.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Control characters (C0, DEL, C1) and Unicode line or paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Outlook ids in Graph's docs are 80 to 152 characters; this bound only stops abuse. */
export const MAX_OUTLOOK_ID_LENGTH = 512;

/** Return why `value` is not a group id, or undefined when it is a GUID. */
export function checkGroupId(value: string): string | undefined {
  return GUID.test(value) ? undefined : 'a group id must be a GUID such as 11111111-1111-4111-8111-111111111111';
}

/**
 * Return why `value` cannot be a conversation or thread id, or undefined when it can. These ids
 * are opaque Outlook ids; the characters rejected here would change the request's path or query.
 */
export function checkOutlookId(value: string): string | undefined {
  if (value.length === 0) return 'an id must not be empty';
  if (value.length > MAX_OUTLOOK_ID_LENGTH) return `an id must be at most ${MAX_OUTLOOK_ID_LENGTH} characters`;
  if (CONTROL.test(value)) return 'an id must not contain control characters';
  if (/[/\\?#]/.test(value)) return 'an id must not contain "/", "\\", "?" or "#"';
  if (value.includes('..')) return 'an id must not contain ".."';
  if (value.trim() !== value) return 'an id must not start or end with whitespace';
  return undefined;
}

/** Encode a group id as one path segment, or throw `InvalidIdError`. */
export function groupSegment(field: string, value: string): string {
  const problem = checkGroupId(value);
  if (problem) throw new InvalidIdError(field, value, problem);
  return encodeURIComponent(value);
}

/** Encode a conversation or thread id as one path segment, or throw `InvalidIdError`. */
export function outlookSegment(field: string, value: string): string {
  const problem = checkOutlookId(value);
  if (problem) throw new InvalidIdError(field, value, problem);
  return encodeURIComponent(value);
}
