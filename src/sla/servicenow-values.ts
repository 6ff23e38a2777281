import { instantOf } from '../core/sla/zoned-time';

/** ServiceNow exports write `?` (this data set) or an empty cell for "no value". */
export function cell(value: string | undefined): string | null {
  const v = (value ?? '').trim();
  return v === '' || v === '?' ? null : v;
}

/** `3 - Moderate` or `3` → 3; null when empty or not a priority. */
export function priorityNumber(value: string | undefined): number | null {
  const m = /^\s*(\d)/.exec(cell(value) ?? '');
  return m ? Number(m[1]) : null;
}

/** `TRUE`/`true`/`1` → true, `FALSE`/`false`/`0` → false, else null. */
export function bool(value: string | undefined): boolean | null {
  const v = (cell(value) ?? '').toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return null;
}

/** `DD-MM-YYYY HH:MM[:SS]` as wall-clock time in `timeZone` → epoch ms; null when empty or malformed. */
export function exportDate(value: string | undefined, timeZone: string): number | null {
  const m = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(cell(value) ?? '');
  if (!m) return null;
  const minutes = Number(m[4]) * 60 + Number(m[5]);
  return instantOf(Number(m[3]), Number(m[2]), Number(m[1]), minutes, timeZone) + Number(m[6] ?? 0) * 1000;
}
