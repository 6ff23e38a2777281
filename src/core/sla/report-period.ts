import { instantOf } from './zoned-time';

/** A calendar month in the report time zone: [start, end) as epoch ms. */
export interface MonthWindow {
  month: string;
  start: number;
  end: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True for `YYYY-MM` with a month 01..12. */
export function isMonth(text: string): boolean {
  return MONTH.test(text);
}

/** `YYYY-MM` shifted by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const index = Number(m[1]) * 12 + Number(m[2]) - 1 + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Month boundaries are local midnights of the 1st in `timeZone`, so a month in summer time is right. */
export function monthWindow(month: string, timeZone: string): MonthWindow {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const next = shiftMonth(month, 1);
  const [ny, nm] = next.split('-').map(Number);
  return {
    month,
    start: instantOf(Number(m[1]), Number(m[2]), 1, 0, timeZone),
    end: instantOf(ny ?? 0, nm ?? 1, 1, 0, timeZone),
  };
}

/** The report month and the `count` months before it, oldest first. */
export function trendWindows(month: string, count: number, timeZone: string): MonthWindow[] {
  const out: MonthWindow[] = [];
  for (let i = count; i >= 0; i--) out.push(monthWindow(shiftMonth(month, -i), timeZone));
  return out;
}

/** Index of the window containing `t`, or -1. Windows are contiguous and sorted. */
export function windowIndex(windows: MonthWindow[], t: number): number {
  const first = windows[0];
  const last = windows[windows.length - 1];
  if (!first || !last || t < first.start || t >= last.end) return -1;
  let lo = 0;
  let hi = windows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((windows[mid] as MonthWindow).start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
