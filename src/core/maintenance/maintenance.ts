import { z } from 'zod';
import { Matcher, matches, type MatchableAlert } from '../routing/matcher';

const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24 h)');

/**
 * A configured maintenance window: either one-off (`from`/`to`, ISO with offset) or weekly
 * (`weekly: {days, start, end, timeZone}`, end before start means it runs past midnight).
 */
export const MaintenanceWindow = z
  .strictObject({
    name: z.string().min(1),
    match: z.array(Matcher).min(1),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    weekly: z
      .strictObject({
        days: z.array(Weekday).min(1),
        start: HhMm,
        end: HhMm,
        timeZone: z.string().default('Europe/Berlin'),
      })
      .optional(),
  })
  .refine((w) => (w.from && w.to) || w.weekly, { message: 'give either from + to, or weekly' })
  .refine((w) => !w.weekly || isTimeZone(w.weekly.timeZone), {
    message: 'weekly.timeZone is not an IANA time zone',
    path: ['weekly', 'timeZone'],
  });
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Weekday and minutes since midnight of `at` as seen on a wall clock in `timeZone`. */
function wallClock(at: Date, timeZone: string): { day: string; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    day: get('weekday').toLowerCase().slice(0, 3),
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function weeklyActive(w: NonNullable<MaintenanceWindow['weekly']>, at: Date): boolean {
  const { day, minutes } = wallClock(at, w.timeZone);
  const start = toMinutes(w.start);
  const end = toMinutes(w.end);
  const on = (d: string) => w.days.some((wd) => wd === d);
  if (start <= end) return on(day) && minutes >= start && minutes < end;
  // Overnight window: the part after midnight belongs to the day the window started on.
  const yesterday = DAYS[(DAYS.indexOf(day) + 6) % 7] as string;
  return (on(day) && minutes >= start) || (on(yesterday) && minutes < end);
}

/** Name of the first maintenance window covering the alert at `at`, or null. */
export function activeMaintenance(
  windows: MaintenanceWindow[],
  alert: MatchableAlert,
  at: Date,
): string | null {
  for (const w of windows) {
    if (!w.match.some((m) => matches(m, alert))) continue;
    const oneOff = w.from && w.to && Date.parse(w.from) <= at.getTime() && at.getTime() < Date.parse(w.to);
    if (oneOff || (w.weekly && weeklyActive(w.weekly, at))) return w.name;
  }
  return null;
}
