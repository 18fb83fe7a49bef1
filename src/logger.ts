import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

/**
 * Create the process logger, which writes JSON lines on stdout. Header and token fields are
 * redacted as a second guard, because no log call is meant to pass them in the first place.
 *
 * It writes to `process.stdout` rather than pino's default destination: sonic-boom 4 retries a
 * write to a closed pipe forever when it flushes on exit, so a log reader that went away would
 * keep the process from stopping. Nothing is logged per request, so the slower stream costs nothing.
 */
export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'graph-threads-gateway' },
      // Post bodies and email addresses are personal data; they are redacted wherever an object carries them.
      redact: {
        paths: [
          'authorization',
          'token',
          '*.authorization',
          '*.token',
          'headers.authorization',
          '*.headers.authorization',
          'content',
          '*.content',
          'address',
          '*.address',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? process.stdout,
  );
}
