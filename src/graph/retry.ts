/**
 * Parse an HTTP `Retry-After` value into seconds: either a non-negative number of seconds, which
 * Graph may send with a fraction such as `2.128`, or an HTTP date. Returns undefined for a missing
 * or unreadable value. A date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;

  const trimmed = value.trim();
  if (trimmed === '') return undefined;

  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);

  // Only the date forms of RFC 9110 start with a letter (a weekday name); this keeps values such
  // as "-1" or "10s" from being read as dates by Date.parse.
  if (!/^[A-Za-z]/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - nowMs) / 1000);
}
