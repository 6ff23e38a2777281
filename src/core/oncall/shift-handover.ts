import { z } from 'zod';
import { currentAndNext } from './shifts-between';
import type { OnCallPerson, OnCallSchedule } from './schedule';

/**
 * Shift handovers as pure data: when a rotation hands over, what the incoming on-call is told about the
 * provider's open incidents, and the life of the handover (`open` → `acknowledged` by the incoming
 * on-call, or `escalated` to the provider lead when nobody acknowledges in time; still acknowledgeable).
 */

export const OnCallPersonSchema = z.object({
  name: z.string(),
  slackUser: z.string().optional(),
  teamsUser: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
});

/** One open incident as the incoming on-call sees it. */
export const ShiftItem = z.object({
  incidentId: z.number().int(),
  ticket: z.string(),
  title: z.string(),
  priority: z.number().int(),
  openedAt: z.string(),
  /** SLA time left of the running resolution clock in business minutes; negative once breached; null: no SLA. */
  slaMinutesLeft: z.number().nullable(),
  lastAction: z.object({ at: z.string(), what: z.string() }).nullable(),
  acknowledgedBy: z.string().nullable(),
  openSteps: z.number().int().nonnegative(),
  /** Open hand-offs, e.g. `to app (offered)`. */
  handoffs: z.array(z.string()),
});
export type ShiftItem = z.infer<typeof ShiftItem>;
export const ShiftSummary = z.array(ShiftItem);

export const ShiftTrigger = z.enum(['rotation', 'manual']);
export type ShiftTrigger = z.infer<typeof ShiftTrigger>;
export const ShiftState = z.enum(['open', 'acknowledged', 'escalated']);
export type ShiftState = z.infer<typeof ShiftState>;

export interface ShiftHandover {
  id: number;
  provider: string;
  /** The rotation change (or the moment `/itsm shift` asked). */
  at: string;
  trigger: ShiftTrigger;
  requestedBy: string | null;
  outgoing: OnCallPerson | null;
  incoming: OnCallPerson | null;
  summary: ShiftItem[];
  state: ShiftState;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  /** When an unacknowledged handover escalates to the lead; null once acknowledged or escalated. */
  escalateAt: string | null;
}
export type NewShiftHandover = Omit<ShiftHandover, 'id'>;

/**
 * The rotation change a handover is due for at `now`: the current shift's start when it began less than
 * `windowMs` ago (a bridge that was down across the change still hands over, late) and someone hands
 * over to someone else. Null otherwise.
 */
export function rotationChangeAt(
  schedule: OnCallSchedule,
  now: number,
  windowMs: number,
): { at: number; outgoing: OnCallPerson | null; incoming: OnCallPerson } | null {
  const { now: current } = currentAndNext(schedule, now);
  if (!current || !Number.isFinite(current.from) || now - current.from >= windowMs) return null;
  const before = currentAndNext(schedule, current.from - 1).now;
  return { at: current.from, outgoing: before?.person ?? null, incoming: current.person };
}

/** Acknowledging: once; a handover already acknowledged says by whom. */
export function acknowledgeShift(
  h: ShiftHandover,
  by: string,
  at: string,
): { ok: true; handover: ShiftHandover } | { ok: false; message: string } {
  if (h.state === 'acknowledged')
    return {
      ok: false,
      message: `handover ${h.id} was already acknowledged by ${h.acknowledgedBy} at ${h.acknowledgedAt}`,
    };
  return {
    ok: true,
    handover: { ...h, state: 'acknowledged', acknowledgedBy: by, acknowledgedAt: at, escalateAt: null },
  };
}

const hm = (minutes: number) => {
  const m = Math.abs(Math.round(minutes));
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}`;
};

/** The handover as text for chat (one line per incident, newest problems first as given). */
export function shiftHandoverText(
  h: Pick<ShiftHandover, 'provider' | 'outgoing' | 'incoming' | 'summary'>,
  now: number,
): string {
  const who = `${h.outgoing?.name ?? 'nobody'} → ${h.incoming?.name ?? 'nobody'}`;
  const head = `Shift handover for ${h.provider} (${who}): ${h.summary.length} open incident(s).`;
  const lines = h.summary.map((i) => {
    const age = hm((now - Date.parse(i.openedAt)) / 60_000);
    const sla =
      i.slaMinutesLeft === null
        ? 'no SLA'
        : i.slaMinutesLeft < 0
          ? `SLA breached ${hm(i.slaMinutesLeft)} ago`
          : `SLA ${hm(i.slaMinutesLeft)} left`;
    const last = i.lastAction
      ? `last: ${i.lastAction.what} at ${i.lastAction.at.slice(11, 16)} UTC`
      : 'no action yet';
    const steps = i.openSteps ? `${i.openSteps} runbook step(s) open` : 'runbook done or none';
    const ack = i.acknowledgedBy ? `acked by ${i.acknowledgedBy}` : 'NOT acknowledged';
    const hand = i.handoffs.length ? `; hand-off ${i.handoffs.join(', ')}` : '';
    return `• P${i.priority} ${i.ticket} "${i.title}" — age ${age}, ${sla}, ${ack}, ${last}, ${steps}${hand}`;
  });
  return [head, ...lines].join('\n');
}
