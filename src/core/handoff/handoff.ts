import { z } from 'zod';
import { unhandled } from '../unhandled';

/**
 * A provider hand-off as a pure state machine: `offered` → `accepted` | `rejected` | `expired` →
 * `escalated`; `cancelled` by the offering side. `offered`, `expired` and `escalated` are open: the
 * hand-off waits for a decision, and until it is accepted the offering provider owns the incident and
 * its clocks. Every function returns the next hand-off and the effects to carry out (as data), or a
 * refusal that changes nothing. Who may do what (members of which provider) is decided by the caller.
 */
export const HandoffState = z.enum(['offered', 'accepted', 'rejected', 'expired', 'escalated', 'cancelled']);
export type HandoffState = z.infer<typeof HandoffState>;

/** States in which the hand-off still waits for the receiving provider. */
export const OPEN_STATES: readonly HandoffState[] = ['offered', 'expired', 'escalated'];
export const isOpen = (s: HandoffState) => OPEN_STATES.includes(s);

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/**
 * The structured note that travels with a hand-off: what the receiving provider needs to take over
 * without asking (situation, what was done, what to do next), and optionally a hypothesis, the impact
 * and when to look again.
 */
export const HandoffNote = z.strictObject({
  situation: text(4000),
  actionsTaken: text(8000),
  nextSteps: text(4000),
  hypothesis: text(4000).optional(),
  impact: z
    .strictObject({
      branches: z.array(text(100)).max(50).optional(),
      users: z.number().int().nonnegative().max(1_000_000).optional(),
    })
    .optional(),
  nextCheckpoint: z.iso.datetime({ offset: true }).optional(),
});
export type HandoffNote = z.infer<typeof HandoffNote>;

/** Seconds the receiving provider has to accept, per priority (1 = critical). */
export type AcceptanceDeadlines = Record<1 | 2 | 3 | 4 | 5, number>;
export const DEFAULT_ACCEPTANCE_DEADLINES: AcceptanceDeadlines = {
  1: 5 * 60,
  2: 15 * 60,
  3: 60 * 60,
  4: 60 * 60,
  5: 60 * 60,
};

/** The deadline for a priority; an out-of-range priority gets the lowest priority's. */
export function acceptanceSeconds(priority: number, deadlines: AcceptanceDeadlines): number {
  return priority === 1 || priority === 2 || priority === 3 || priority === 4
    ? deadlines[priority]
    : deadlines[5];
}

export interface Handoff {
  id: number;
  incidentId: number;
  from: string;
  to: string;
  state: HandoffState;
  note: HandoffNote;
  offeredAt: string;
  offeredBy: string;
  /** When the receiving provider should have accepted. */
  deadline: string;
  /** The receiving on-call was reminded at half the deadline. */
  reminded: boolean;
  decidedAt: string | null;
  decidedBy: string | null;
  /** Why it was rejected (required then). */
  reason: string | null;
}

/** Something the caller carries out (through the outbox, the timeline and the audit log). */
export type HandoffEffect =
  | { kind: 'announce' } // the receiving channel gets the note with Accept / Reject
  | { kind: 'remind' } // half the deadline has passed: remind the receiving on-call
  | { kind: 'escalate' } // the deadline has passed: the receiving policy and the offering lead
  | { kind: 'transfer_ownership'; from: string; to: string }
  | { kind: 'tell_offering_side' } // accepted, rejected or cancelled: the offering channel learns it
  | { kind: 'ping_pong'; changes: number }; // too many provider changes: to the service manager

export type Refusal = { ok: false; code: RefusalCode; message: string };
export type RefusalCode = 'already_open' | 'same_owner' | 'unknown_provider' | 'not_open' | 'reason_required';
export type Step = { ok: true; handoff: Handoff; effects: HandoffEffect[] } | Refusal;
/** An offer, before the store has given it an id. */
export type Offer = { ok: true; handoff: Omit<Handoff, 'id'>; effects: HandoffEffect[] } | Refusal;

const refuse = (code: RefusalCode, message: string): Refusal => ({ ok: false, code, message });
const plus = (at: string, seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();

/** Offers an incident to another provider; at most one open hand-off per incident. */
export function offerHandoff(o: {
  incident: { id: number; owner: string; priority: number };
  to: string;
  providers: readonly string[];
  note: HandoffNote;
  by: string;
  at: string;
  /** Hand-offs of this incident so far (any state). */
  existing: readonly Pick<Handoff, 'id' | 'to' | 'state'>[];
  deadlines?: AcceptanceDeadlines;
}): Offer {
  if (!o.providers.includes(o.to)) return refuse('unknown_provider', `unknown provider "${o.to}"`);
  if (o.to === o.incident.owner)
    return refuse('same_owner', `${o.to} already owns incident ${o.incident.id}`);
  const open = o.existing.find((h) => isOpen(h.state));
  if (open) return refuse('already_open', `hand-off ${open.id} to ${open.to} is still open (${open.state})`);
  const seconds = acceptanceSeconds(o.incident.priority, o.deadlines ?? DEFAULT_ACCEPTANCE_DEADLINES);
  return {
    ok: true,
    handoff: {
      incidentId: o.incident.id,
      from: o.incident.owner,
      to: o.to,
      state: 'offered',
      note: o.note,
      offeredAt: o.at,
      offeredBy: o.by,
      deadline: plus(o.at, seconds),
      reminded: false,
      decidedAt: null,
      decidedBy: null,
      reason: null,
    },
    effects: [{ kind: 'announce' }],
  };
}

/** The decisions a person makes on an open hand-off. */
export type HandoffDecision = { kind: 'accept' } | { kind: 'reject'; reason: string } | { kind: 'cancel' };

/**
 * Accept, reject (with a reason) or cancel an open hand-off. A decision on a closed one is refused and
 * says who decided it when — so of two people accepting at once, the second is told who won.
 */
export function decideHandoff(h: Handoff, d: HandoffDecision, by: string, at: string): Step {
  if (!isOpen(h.state)) {
    const who = h.decidedBy ? ` by ${h.decidedBy} at ${h.decidedAt}` : '';
    return refuse('not_open', `hand-off ${h.id} was already ${h.state}${who}`);
  }
  const decided = { decidedAt: at, decidedBy: by };
  switch (d.kind) {
    case 'accept':
      return {
        ok: true,
        handoff: { ...h, ...decided, state: 'accepted' },
        effects: [{ kind: 'transfer_ownership', from: h.from, to: h.to }, { kind: 'tell_offering_side' }],
      };
    case 'reject': {
      const reason = d.reason.trim();
      if (!reason) return refuse('reason_required', 'a rejection needs a reason');
      return {
        ok: true,
        handoff: { ...h, ...decided, state: 'rejected', reason },
        effects: [{ kind: 'tell_offering_side' }],
      };
    }
    case 'cancel':
      return { ok: true, handoff: { ...h, ...decided, state: 'cancelled' }, effects: [] };
    default:
      return unhandled(d);
  }
}

/**
 * What time does to an open hand-off at `now`: a reminder at half the deadline (once), and at the
 * deadline `offered` → `expired` → `escalated` with the escalation as an effect. The hand-off then stays
 * open until someone accepts, rejects or cancels. Null when nothing is due.
 */
export function tickHandoff(
  h: Handoff,
  now: string,
): { handoff: Handoff; effects: HandoffEffect[]; passed: HandoffState[] } | null {
  if (h.state !== 'offered') return null;
  const t = Date.parse(now);
  const offered = Date.parse(h.offeredAt);
  const deadline = Date.parse(h.deadline);
  if (t >= deadline)
    return {
      handoff: { ...h, state: 'escalated', reminded: true },
      effects: [{ kind: 'escalate' }],
      passed: ['expired', 'escalated'],
    };
  if (!h.reminded && t >= offered + (deadline - offered) / 2)
    return { handoff: { ...h, reminded: true }, effects: [{ kind: 'remind' }], passed: [] };
  return null;
}

/** When `tickHandoff` has something to do next for this hand-off; null when nothing will be. */
export function nextHandoffTick(
  h: Pick<Handoff, 'state' | 'reminded' | 'offeredAt' | 'deadline'>,
): string | null {
  if (h.state !== 'offered') return null;
  if (h.reminded) return h.deadline;
  const offered = Date.parse(h.offeredAt);
  return new Date(offered + (Date.parse(h.deadline) - offered) / 2).toISOString();
}

/**
 * Ping-pong: an incident whose owning provider changed `limit` times (default 3) or more goes to the
 * service manager — the ITIL signal that functional escalation has failed and hierarchical is due.
 */
export function pingPong(ownership: readonly { provider: string }[], limit = 3): HandoffEffect | null {
  let changes = 0;
  for (let i = 1; i < ownership.length; i++)
    if (ownership[i]!.provider !== ownership[i - 1]!.provider) changes++;
  return changes >= limit ? { kind: 'ping_pong', changes } : null;
}

/** The hand-off note as text for the tickets and chat (work note, comment, thread). */
export function handoffNoteText(h: Pick<Handoff, 'from' | 'to' | 'note'>, headline: string): string {
  const n = h.note;
  const impact = n.impact
    ? [
        n.impact.branches?.length ? `branches ${n.impact.branches.join(', ')}` : null,
        n.impact.users !== undefined ? `${n.impact.users} users` : null,
      ].filter(Boolean)
    : [];
  return [
    headline,
    `Situation: ${n.situation}`,
    `Actions taken: ${n.actionsTaken}`,
    `Next steps: ${n.nextSteps}`,
    ...(n.hypothesis ? [`Hypothesis: ${n.hypothesis}`] : []),
    ...(impact.length ? [`Impact: ${impact.join('; ')}`] : []),
    ...(n.nextCheckpoint ? [`Next checkpoint: ${n.nextCheckpoint}`] : []),
  ].join('\n');
}

/** Who owned the incident when: one interval per owner, the last one open (`to: null`) while unresolved. */
export function ownershipIntervals(
  incident: { provider: string; openedAt: string; resolvedAt: string | null },
  handoffs: readonly Pick<Handoff, 'from' | 'to' | 'state' | 'decidedAt'>[],
): { provider: string; from: string; to: string | null }[] {
  const accepted = handoffs
    .filter((h) => h.state === 'accepted' && h.decidedAt !== null)
    .sort((a, b) => (a.decidedAt! < b.decidedAt! ? -1 : 1));
  const first = accepted[0]?.from ?? incident.provider;
  const out: { provider: string; from: string; to: string | null }[] = [
    { provider: first, from: incident.openedAt, to: null },
  ];
  for (const h of accepted) {
    out[out.length - 1]!.to = h.decidedAt;
    out.push({ provider: h.to, from: h.decidedAt!, to: null });
  }
  out[out.length - 1]!.to = incident.resolvedAt;
  return out;
}
