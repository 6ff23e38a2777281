import type { SlaConfig } from '../config/sla';
import { createSlaEngine, type SlaEngine } from '../core/sla/evaluate-ticket';
import type { BusinessCalendar, SlaDefinition, WorkWindow } from '../core/sla/types';
import { holidayDates } from './holiday-dates';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Parsed config calendars → core calendars with holidays resolved for the given years. */
export function compileCalendars(config: SlaConfig, years: { from: number; to: number }): BusinessCalendar[] {
  return Object.entries(config.calendars).map(([name, c]) => {
    const closed = [...c.closures];
    if (c.holidays) closed.push(...holidayDates(c.holidays.country, c.holidays.state, years.from, years.to));
    const hours = c.hours;
    const weekly =
      hours === '24x7'
        ? null
        : WEEKDAYS.map((d) =>
            (hours[d] ?? []).map((w): WorkWindow => {
              const [a, b] = w.split('-');
              return { start: minutes(a ?? '00:00'), end: minutes(b ?? '00:00') };
            }),
          );
    return { name, timeZone: c.timeZone, weekly, closedDates: new Set(closed) };
  });
}

/** Parsed config definitions → core definitions (targets keyed by numeric priority, seconds). */
export function compileDefinitions(config: SlaConfig): SlaDefinition[] {
  return config.definitions.map((d) => {
    const targets: SlaDefinition['targets'] = {};
    for (const [p, t] of Object.entries(d.targets))
      if (t) targets[Number(p)] = { seconds: t.target, calendar: t.calendar };
    return { ...d, targets };
  });
}

/**
 * The engine for a report: holidays are resolved generously around the report year because tickets of
 * the month may have been opened long before it.
 */
export function compileSlaEngine(config: SlaConfig, reportYear: number): SlaEngine {
  const calendars = compileCalendars(config, { from: reportYear - 3, to: reportYear + 1 });
  return createSlaEngine(compileDefinitions(config), calendars);
}
