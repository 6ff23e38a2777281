import { icsUtc, renderIcs } from '../core/oncall/render-ics';
import { shiftsBetween } from '../core/oncall/shifts-between';
import type { OnCallDeps } from './list-oncall';

/** How far ahead the calendar feed reaches. */
const FEED_MS = 8 * 7 * 86_400_000;

/**
 * The iCalendar feed of a provider's shifts over the next eight weeks (the shift running now included,
 * from its real start, so an event's UID and times stay put between fetches); null for an unknown
 * provider. A provider without a rotation gets an empty calendar.
 */
export function onCallCalendar(deps: OnCallDeps, provider: string, now: Date): string | null {
  const p = deps.providers.find((x) => x.name === provider);
  if (!p) return null;
  const schedule = deps.schedules[provider];
  const t = now.getTime();
  const shifts = schedule ? shiftsBetween(schedule, t, t + FEED_MS) : [];
  return renderIcs({
    prodId: '-//itsm-bridge//on call//EN',
    name: `On call: ${p.displayName ?? p.name}`,
    stamp: t,
    events: shifts.map((s) => ({
      // One person's shift per provider starts at one instant: that makes a stable id.
      uid: `oncall-${provider}-${icsUtc(s.from)}@itsm-bridge`,
      start: s.from,
      end: s.to,
      summary: `On call: ${s.person.name} (${provider})`,
      description: [s.person.phone, s.person.email].filter(Boolean).join('\n'),
    })),
  });
}
