import pino, { type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import type { Clock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Field paths whose values never reach the log, whatever a caller passes: credentials in headers
 * (ours, the remotes' and the chat platforms' signatures) and the usual names of secret fields. Config
 * secrets are Secret instances that print as "<secret>" anyway; this is the second line of defence.
 */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["x-slack-signature"]',
  'headers["x-hub-signature-256"]',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'apiToken',
  '*.apiToken',
  'clientSecret',
  '*.clientSecret',
  'secret',
  '*.secret',
];

export interface JsonLoggerOptions {
  clock: Clock;
  level?: LogLevel;
  /** Where lines go (tests); default stderr (stdout carries the start-up banner). */
  write?: (line: string) => void;
  /** Human-readable lines (pino-pretty) instead of JSON: for a person at a terminal. */
  pretty?: boolean;
  /** Fields of the work running now (the request id), added to every line. */
  context?: () => Record<string, unknown> | null;
}

/**
 * The Logger port on pino: one JSON object per line, `time` from the injected clock, `level` as a word,
 * the current request id on every line logged while a request (or the work it caused) runs.
 */
export function jsonLogger(o: JsonLoggerOptions): Logger {
  const destination: DestinationStream = o.pretty
    ? pretty({ destination: 2, colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l' })
    : o.write
      ? { write: o.write }
      : pino.destination({ dest: 2, sync: true });
  const log = pino(
    {
      level: o.level ?? 'info',
      base: undefined,
      timestamp: () => `,"time":"${o.clock.now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '<redacted>' },
      mixin: () => o.context?.() ?? {},
    },
    destination,
  );
  return {
    debug: (msg, fields) => log.debug(fields ?? {}, msg),
    info: (msg, fields) => log.info(fields ?? {}, msg),
    warn: (msg, fields) => log.warn(fields ?? {}, msg),
    error: (msg, fields) => log.error(fields ?? {}, msg),
  };
}
