import { randomBytes } from 'node:crypto';

/** The parts of a W3C `traceparent` header (Trace Context Level 1) that the gateway keeps. */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** 2 hex digits; bit 0 is "sampled". */
  flags: string;
}

// Version 00 exactly, or a later version, which may append fields after the flags. Version ff is invalid.
const TRACEPARENT = /^(?!ff)([0-9a-f]{2})-(?!0{32})([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-([0-9a-f]{2})(-.*)?$/;

/** Parse a caller's `traceparent`; undefined when it is missing or invalid. */
export function parseTraceparent(value: string | null | undefined): TraceContext | undefined {
  if (value === null || value === undefined) return undefined;

  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (match === null) return undefined;

  const [, version, traceId, flags, rest] = match;
  if (version === '00' && rest !== undefined) return undefined;
  return { traceId: traceId!, flags: flags! };
}

/**
 * Build the `traceparent` of one outgoing call: the same trace id and flags with a new span id,
 * because each call to Graph is a span of its own below the caller's span.
 */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${randomBytes(8).toString('hex')}-${trace.flags}`;
}
