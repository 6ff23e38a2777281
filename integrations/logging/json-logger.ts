import type { Clock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * One JSON object per line on stderr, stamped with the injected clock. Secrets cannot leak through it:
 * config secrets are Secret instances whose JSON form is "<secret>", and callers never pass revealed
 * values.
 */
export function jsonLogger(o: { clock: Clock; level?: LogLevel; write?: (line: string) => void }): Logger {
  const min = LEVELS[o.level ?? 'info'];
  const write = o.write ?? ((l: string) => process.stderr.write(l));
  const log =
    (lvl: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (LEVELS[lvl] < min) return;
      write(`${JSON.stringify({ time: o.clock.now().toISOString(), level: lvl, msg, ...fields })}\n`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
