import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.js';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** True when `value` is an RFC 3339 date-time with a real calendar date and a zone. */
export function isRfc3339(value: string): boolean {
  const match = RFC3339.exec(value);
  if (match === null) return false;

  const [, year, month, day, hour, minute, second, , , , offsetHour, offsetMinute] = match.map(Number);
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return (
    month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth &&
    hour! <= 23 && minute! <= 59 && second! <= 60 &&
    (Number.isNaN(offsetHour) || (offsetHour! <= 23 && offsetMinute! <= 59))
  );
}

/**
 * Accept any string. Whether it is a valid RFC 3339 date-time is checked with the other input
 * rules, so that an invalid value becomes one issue of a `ValidationError` next to the others.
 */
function parse(value: unknown): string {
  if (typeof value !== 'string') {
    throw new GraphQLError(
      `DateTime must be an RFC 3339 string such as "2017-01-01T00:02:54.185054+03:00"; got ${JSON.stringify(value)}.`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  return value;
}

/** RFC 3339 date-time, passed through unchanged in both directions so no precision or offset is lost. */
builder.scalarType('DateTime', {
  description: 'An RFC 3339 date-time such as 2017-01-01T00:02:54.185054+03:00, passed through unchanged.',
  serialize: (value) => String(value),
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
});
