import { z } from 'zod';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Parses `90s`, `15m`, `2h`, `1d`, `1w` (or a bare number of seconds) into seconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw]?)$/.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * (UNIT_SECONDS[m[2] || 's'] ?? 1));
}

/** A duration in config: `"15m"` or a number of seconds; parsed to seconds. */
export const Duration = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const s = parseDuration(v);
  if (s === null) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration; use e.g. 90s, 15m, 2h, 1d` });
    return z.NEVER;
  }
  return s;
});
