import type { Provider } from '../config/providers';
import type { OnCallPerson, OnCallSchedule } from '../core/oncall/schedule';
import { currentAndNext } from '../core/oncall/shifts-between';

/** The providers with their static lists, and the rotation schedules by provider name. */
export interface OnCallDeps {
  providers: readonly Pick<Provider, 'name' | 'displayName' | 'oncall'>[];
  schedules: Readonly<Record<string, OnCallSchedule>>;
}

/** Who is on call for one provider, now and next (public shape of GET /api/oncall, documented in the README). */
export interface ProviderOnCall {
  provider: string;
  displayName: string;
  /** `rotation` from `oncall:`; `static` from `providers[].oncall`; `none` when neither names anyone. */
  source: 'rotation' | 'static' | 'none';
  /** The rotation's zone, for showing handover times; null without a rotation. */
  timeZone: string | null;
  /** From and to are ISO instants; null for a static list, `to` null when no handover is in sight. */
  now: (OnCallPerson & { from: string | null; to: string | null }) | null;
  next: (OnCallPerson & { at: string }) | null;
  /** The rest of a static list with several people (a rotation has one person on call at a time). */
  also: OnCallPerson[];
}

const fromStatic = (o: Provider['oncall'][number]): OnCallPerson => ({
  name: o.name,
  ...(o.slack ? { slackUser: o.slack } : {}),
  ...(o.teams ? { teamsUser: o.teams } : {}),
  ...(o.phone ? { phone: o.phone } : {}),
});

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/** Now and next per provider, from its rotation, else its static list; in config order. */
export function listOnCall(deps: OnCallDeps, now: Date): ProviderOnCall[] {
  return deps.providers.map((p) => {
    const base = { provider: p.name, displayName: p.displayName ?? p.name };
    const schedule = deps.schedules[p.name];
    if (schedule) {
      const shifts = currentAndNext(schedule, now.getTime());
      return {
        ...base,
        source: 'rotation',
        timeZone: schedule.timeZone,
        now: shifts.now && { ...shifts.now.person, from: iso(shifts.now.from), to: iso(shifts.now.to) },
        next: shifts.next && { ...shifts.next.person, at: new Date(shifts.next.from).toISOString() },
        also: [],
      };
    }
    const [first, ...rest] = p.oncall.map(fromStatic);
    return {
      ...base,
      source: first ? 'static' : 'none',
      timeZone: null,
      now: first ? { ...first, from: null, to: null } : null,
      next: null,
      also: rest,
    };
  });
}
