import { z } from 'zod';

/**
 * The `sla` section: calendars, SLA definitions with targets per priority, and report settings.
 * `SlaConfig.parse({})` yields a complete working configuration (business hours Mon–Fri 08:00–18:00
 * Europe/Berlin with Bavarian holidays, a 24×7 calendar, response and resolution targets for P1..P5).
 */

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90s`, `15m`, `2h`, `1d`, `1.5h` or a number of seconds. */
const Duration = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration; use e.g. 90s, 15m, 2h, 1d` });
    return z.NEVER;
  }
  return Math.round(Number(m[1]) * (UNIT_SECONDS[m[2] || 's'] ?? 1));
});

/** An IANA time zone name the runtime knows. */
export const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not an IANA time zone (e.g. Europe/Berlin)' },
);

const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
/** Working windows of one weekday, `["08:00-12:00", "13:00-17:00"]`; `[]` = closed. */
const DayHours = z.array(z.string().regex(WINDOW, 'use HH:MM-HH:MM, e.g. 08:00-18:00 (end may be 24:00)'));

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export const SlaCalendarConfig = z.strictObject({
  timeZone: TimeZone.default('Europe/Berlin'),
  /** `24x7`, or hours per weekday (missing weekdays are closed). */
  hours: z.union([
    z.literal('24x7'),
    z.strictObject(
      Object.fromEntries(WEEKDAYS.map((d) => [d, DayHours.optional()])) as Record<
        (typeof WEEKDAYS)[number],
        z.ZodOptional<typeof DayHours>
      >,
    ),
  ]),
  /** Public holidays from date-holidays: country and (German) state, e.g. DE + BY. */
  holidays: z
    .strictObject({ country: z.string().default('DE'), state: z.string().optional() })
    .nullable()
    .default(null),
  /** Extra closure days, local dates `YYYY-MM-DD` (e.g. 24 and 31 December). */
  closures: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')).default([]),
});
export type SlaCalendarConfig = z.infer<typeof SlaCalendarConfig>;

export const SlaTargetConfig = z.strictObject({ target: Duration, calendar: z.string() });
export type SlaTargetConfig = z.infer<typeof SlaTargetConfig>;

const Priority = z.enum(['1', '2', '3', '4', '5']);

export const SlaDefinitionConfig = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  kind: z.enum(['response', 'resolution']),
  targets: z.partialRecord(Priority, SlaTargetConfig),
  pauseStates: z.array(z.string()).default([]),
  stopStates: z.array(z.string()),
  cancelStates: z.array(z.string()).default(['Canceled', 'Cancelled']),
  stopOnAcknowledge: z.boolean().default(false),
  newCycleOnReopen: z.boolean().default(true),
  retroactiveStart: z.boolean().default(true),
});
export type SlaDefinitionConfig = z.infer<typeof SlaDefinitionConfig>;

/** ServiceNow On Hold (and the hold reasons our sources map to named states), plus our co-provider wait. */
export const DEFAULT_PAUSE_STATES = [
  'On Hold',
  'Awaiting Caller',
  'Awaiting User Info',
  'Awaiting Evidence',
  'Awaiting Vendor',
  'Awaiting Problem',
  'Awaiting Change',
  'Waiting on co-provider',
];
const STOP = ['Resolved', 'Closed'];

const BUSINESS_DAY = ['08:00-18:00'];
const DEFAULT_CALENDARS = {
  business: {
    timeZone: 'Europe/Berlin',
    hours: { mon: BUSINESS_DAY, tue: BUSINESS_DAY, wed: BUSINESS_DAY, thu: BUSINESS_DAY, fri: BUSINESS_DAY },
    holidays: { country: 'DE', state: 'BY' },
    closures: [],
  },
  '24x7': { timeZone: 'Europe/Berlin', hours: '24x7' as const, holidays: null, closures: [] },
};

const target = (t: string, calendar: string) => ({ target: t, calendar });
const DEFAULT_DEFINITIONS = [
  {
    id: 'response',
    name: 'Time to respond',
    kind: 'response' as const,
    targets: {
      1: target('15m', '24x7'),
      2: target('30m', '24x7'),
      3: target('2h', 'business'),
      4: target('4h', 'business'),
      5: target('8h', 'business'),
    },
    pauseStates: [],
    // Any state after New means someone picked the ticket up.
    stopStates: ['Active', 'In Progress', ...DEFAULT_PAUSE_STATES, ...STOP],
    stopOnAcknowledge: true,
    newCycleOnReopen: false,
  },
  {
    id: 'resolution',
    name: 'Time to resolve',
    kind: 'resolution' as const,
    targets: {
      1: target('4h', '24x7'),
      2: target('8h', '24x7'),
      3: target('3d', 'business'),
      4: target('5d', 'business'),
      5: target('10d', 'business'),
    },
    pauseStates: DEFAULT_PAUSE_STATES,
    stopStates: STOP,
  },
];

export const SlaConfig = z
  .strictObject({
    /** Month boundaries of the report are local midnights in this zone. */
    reportTimeZone: TimeZone.default('Europe/Berlin'),
    calendars: z.record(z.string(), SlaCalendarConfig).prefault(DEFAULT_CALENDARS),
    definitions: z.array(SlaDefinitionConfig).min(1).prefault(DEFAULT_DEFINITIONS),
    /** Months before the report month shown in the trend. */
    trendMonths: z.number().int().min(0).max(24).default(6),
  })
  .superRefine((cfg, ctx) => {
    cfg.definitions.forEach((def, i) => {
      for (const [p, t] of Object.entries(def.targets)) {
        if (t && !cfg.calendars[t.calendar]) {
          ctx.addIssue({
            code: 'custom',
            path: ['definitions', i, 'targets', p, 'calendar'],
            message: `unknown calendar "${t.calendar}"; known: ${Object.keys(cfg.calendars).join(', ')}`,
          });
        }
      }
    });
  });
export type SlaConfig = z.infer<typeof SlaConfig>;

/**
 * Mount point for the main schema: `sla: SlaConfigSection`. zod 4's `.default()` would hand out `{}` without
 * parsing it, so the section uses `.prefault({})`, which runs the defaults above.
 */
export const SlaConfigSection = SlaConfig.prefault({});
