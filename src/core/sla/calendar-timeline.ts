import type { BusinessCalendar } from './types';
import { addDays, civilTimeOf, dateKey, instantOf } from './zoned-time';

interface Day {
  /** Local midnight as an instant. */
  start: number;
  /** Working intervals as instants, flat [s0, e0, s1, e1, …]. */
  intervals: number[];
  total: number;
  /** Business ms on the business clock at this day's midnight (origin: the first day ever built). */
  cumStart: number;
}

const CHUNK_DAYS = 62;
/** A calendar without working time for this long is treated as never working (avoids endless search). */
const MAX_SEARCH_DAYS = 366 * 30;

/**
 * Business time on one calendar as a monotone "business clock": `cumulative(t)` is the business ms since
 * an arbitrary origin, so business time between a and b is `cumulative(b) - cumulative(a)`, and
 * `instantAt(c)` inverts it (first instant the business clock reaches c). Days are materialised lazily
 * in local civil dates, so DST days get their real 23 or 25 hours.
 */
export class CalendarTimeline {
  private days: Day[] = [];
  private firstCivil: [number, number, number] = [1970, 1, 1];
  private lastCivil: [number, number, number] = [1970, 1, 1];
  /** Midnight after the last materialised day; cached because Intl look-ups dominate otherwise. */
  private rangeEnd = -Infinity;

  constructor(readonly calendar: BusinessCalendar) {}

  /** True for 24×7 calendars: business time equals wall-clock time. */
  get isAlwaysOpen(): boolean {
    return this.calendar.weekly === null;
  }

  /** Business ms elapsed on the business clock at `t`. */
  cumulative(t: number): number {
    if (this.isAlwaysOpen) return t;
    this.cover(t);
    const day = this.days[this.dayIndexOf(t)] as Day;
    let c = day.cumStart;
    const iv = day.intervals;
    for (let i = 0; i < iv.length; i += 2) {
      const s = iv[i] as number;
      const e = iv[i + 1] as number;
      if (t <= s) break;
      c += Math.min(t, e) - s;
    }
    return c;
  }

  /** Business ms between two instants (0 when b <= a). */
  between(a: number, b: number): number {
    return b <= a ? 0 : this.cumulative(b) - this.cumulative(a);
  }

  /** First instant at which the business clock shows `c`; null if the calendar never gets there. */
  instantAt(c: number): number | null {
    if (this.isAlwaysOpen) return c;
    if (this.days.length === 0) return null;
    let guard = 0;
    while ((this.days[0] as Day).cumStart > c) {
      if ((guard += CHUNK_DAYS) > MAX_SEARCH_DAYS) return null;
      this.extendLeft();
    }
    while (
      (this.days[this.days.length - 1] as Day).cumStart + (this.days[this.days.length - 1] as Day).total <
      c
    ) {
      if ((guard += CHUNK_DAYS) > MAX_SEARCH_DAYS) return null;
      this.extendRight();
    }
    // First day whose cumulative end reaches c.
    let lo = 0;
    let hi = this.days.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const d = this.days[mid] as Day;
      if (d.cumStart + d.total >= c) hi = mid;
      else lo = mid + 1;
    }
    const day = this.days[lo] as Day;
    let left = c - day.cumStart;
    const iv = day.intervals;
    for (let i = 0; i < iv.length; i += 2) {
      const s = iv[i] as number;
      const e = iv[i + 1] as number;
      if (left <= e - s) return s + left;
      left -= e - s;
    }
    return day.start;
  }

  /** Adds `ms` of business time to instant `t`. */
  addBusiness(t: number, ms: number): number | null {
    return this.instantAt(this.cumulative(t) + ms);
  }

  private dayIndexOf(t: number): number {
    let lo = 0;
    let hi = this.days.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.days[mid] as Day).start <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private cover(t: number): void {
    if (this.days.length === 0) {
      const c = civilTimeOf(t, this.calendar.timeZone);
      this.firstCivil = [c.year, c.month, c.day];
      this.lastCivil = addDays(c.year, c.month, c.day, -1);
      this.extendRight();
    }
    while (t < (this.days[0] as Day).start) this.extendLeft();
    while (t >= this.rangeEnd) this.extendRight();
  }

  private extendRight(): void {
    let cum = this.days.length
      ? (this.days[this.days.length - 1] as Day).cumStart + (this.days[this.days.length - 1] as Day).total
      : 0;
    for (let i = 1; i <= CHUNK_DAYS; i++) {
      const civil = addDays(...this.lastCivil, 1);
      const day = this.buildDay(civil, cum);
      this.days.push(day);
      cum += day.total;
      this.lastCivil = civil;
    }
    const [y, m, d] = addDays(...this.lastCivil, 1);
    this.rangeEnd = instantOf(y, m, d, 0, this.calendar.timeZone);
  }

  private extendLeft(): void {
    // Count backwards from the current first day so that values already handed out stay valid.
    let civil = this.firstCivil;
    let cum = (this.days[0] as Day).cumStart;
    const added: Day[] = [];
    for (let i = 0; i < CHUNK_DAYS; i++) {
      civil = addDays(...civil, -1);
      const day = this.buildDay(civil, 0);
      cum -= day.total;
      day.cumStart = cum;
      added.unshift(day);
    }
    this.firstCivil = civil;
    this.days = added.concat(this.days);
  }

  private buildDay([y, m, d]: [number, number, number], cumStart: number): Day {
    const tz = this.calendar.timeZone;
    const start = instantOf(y, m, d, 0, tz);
    const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    const intervals: number[] = [];
    let total = 0;
    if (!this.calendar.closedDates.has(dateKey(y, m, d))) {
      for (const w of this.calendar.weekly?.[weekday] ?? []) {
        const s = instantOf(y, m, d, w.start, tz);
        const e = instantOf(y, m, d, w.end, tz);
        if (e > s) {
          intervals.push(s, e);
          total += e - s;
        }
      }
    }
    return { start, intervals, total, cumStart };
  }
}
