/**
 * Wall-clock ↔ instant conversion for an IANA zone using only the built-in Intl tz database, so the pure
 * core needs no library. Day arithmetic is done on civil dates, never by adding 24 h to an instant
 * (fivetran/dbt_zendesk#25, lordi/tickmate#113: DST days have 23 or 25 hours).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Civil date and time in a zone; month is 1..12. */
export interface CivilTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading of `instant` (epoch ms) in `timeZone`. */
export function civilTimeOf(instant: number, timeZone: string): CivilTime {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** UTC offset of `timeZone` at `instant`, in ms (Berlin summer: +7_200_000). */
export function offsetAt(instant: number, timeZone: string): number {
  const c = civilTimeOf(instant, timeZone);
  const asUtc = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant at which the wall clock in `timeZone` shows the given civil time. Minutes may exceed a day
 * (1440 = next midnight). In the autumn overlap one of the two instants is returned (business hours
 * never start inside it in practice); in the spring gap the time is pushed forward by the gap, as the
 * wall clock itself does.
 */
export function instantOf(
  year: number,
  month: number,
  day: number,
  minutes: number,
  timeZone: string,
): number {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return guess;
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  if (second === first) return first;
  // Offsets disagree near a transition: take the candidate whose own offset maps back to the wall time.
  const earlier = Math.min(first, second);
  const later = Math.max(first, second);
  if (earlier + offsetAt(earlier, timeZone) === guess) return earlier;
  if (later + offsetAt(later, timeZone) === guess) return later;
  return later; // spring gap: no such wall time
}

/** `YYYY-MM-DD` of a civil date. */
export function dateKey(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The civil date `days` after the given one (handles month and year ends). */
export function addDays(year: number, month: number, day: number, days: number): [number, number, number] {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}
