import { z } from 'zod';
import { samePerson, type OnCallPerson } from '../oncall/schedule';

/**
 * Escalation of an unacknowledged incident as pure data: a policy of timed steps per provider and
 * priority; a run is the stored timer of one policy for one incident (which step is next and when it is
 * due). The caller stores the run and carries out each step's effects in the transaction that advances
 * it, so a restart loses no step and repeats none. An acknowledgement stops the run.
 */

/** Whom a step reaches: the on-call now, the next person of the rotation, the provider lead, the service manager. */
export const EscalationTarget = z.enum(['oncall', 'next-oncall', 'lead', 'service-manager']);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

/** `mention`: in the provider's channel (the incident thread); `dm`: a direct message; `page`: a paging target. */
export const EscalationStep = z.discriminatedUnion('kind', [
  z.object({
    after: z.number().nonnegative(),
    kind: z.enum(['mention', 'dm']),
    targets: z.array(EscalationTarget).min(1),
  }),
  z.object({ after: z.number().nonnegative(), kind: z.literal('page'), page: z.string().min(1) }),
]);
export type EscalationStep = z.infer<typeof EscalationStep>;

export interface EscalationPolicy {
  priorities: number[];
  /** In order of `after` (seconds from the start of the run). */
  steps: EscalationStep[];
}

/** What started the run: a new incident, a reopen, or a hand-off the receiving provider did not accept. */
/** What started a run; `ping_pong`: the incident changed provider too often (to the service manager). */
export const EscalationTrigger = z.enum(['opened', 'reopened', 'handoff', 'ping_pong']);
export type EscalationTrigger = z.infer<typeof EscalationTrigger>;
export const EscalationState = z.enum(['running', 'stopped', 'finished']);
export type EscalationState = z.infer<typeof EscalationState>;

export interface Escalation {
  id: number;
  incidentId: number;
  provider: string;
  priority: number;
  trigger: EscalationTrigger;
  /** The policy's steps as they were when the run started: a config change does not renumber a run. */
  steps: EscalationStep[];
  startedAt: string;
  /** Index of the next step to run; equals `steps.length` when finished. */
  nextStep: number;
  /** When the next step is due; null once the run is stopped or finished. */
  nextDueAt: string | null;
  state: EscalationState;
  stoppedAt: string | null;
  stoppedBy: string | null;
}
export type NewEscalation = Omit<Escalation, 'id'>;

const plus = (at: string, seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();

/** The provider's policy for a priority: the first that lists it, else none. */
export function policyFor(policies: readonly EscalationPolicy[], priority: number): EscalationPolicy | null {
  return policies.find((p) => p.priorities.includes(priority)) ?? null;
}

/** A new run of the policy from `at`; null without a policy (or one without steps). */
export function startEscalation(o: {
  incidentId: number;
  provider: string;
  priority: number;
  trigger: EscalationTrigger;
  at: string;
  policy: EscalationPolicy | null;
}): NewEscalation | null {
  const first = o.policy?.steps[0];
  if (!o.policy || !first) return null;
  return {
    incidentId: o.incidentId,
    provider: o.provider,
    priority: o.priority,
    trigger: o.trigger,
    steps: o.policy.steps,
    startedAt: o.at,
    nextStep: 0,
    nextDueAt: plus(o.at, first.after),
    state: 'running',
    stoppedAt: null,
    stoppedBy: null,
  };
}

/**
 * The step due at `now` and the run after it (the next step's due time, or finished after the last);
 * null when nothing is due. Call again with the returned run: several steps can be due after a pause.
 */
export function dueStep(
  e: Escalation,
  now: string,
): { step: EscalationStep; index: number; next: Escalation } | null {
  if (e.state !== 'running' || e.nextDueAt === null || e.nextDueAt > now) return null;
  const step = e.steps[e.nextStep];
  if (!step) return null;
  const index = e.nextStep;
  const following = e.steps[index + 1];
  const next: Escalation = following
    ? { ...e, nextStep: index + 1, nextDueAt: plus(e.startedAt, following.after) }
    : { ...e, nextStep: index + 1, nextDueAt: null, state: 'finished' };
  return { step, index, next };
}

/** The run stopped (acknowledged, resolved or taken over); a run that is not running stays as it is. */
export function stopEscalation(e: Escalation, by: string, at: string): Escalation {
  if (e.state !== 'running') return e;
  return { ...e, state: 'stopped', nextDueAt: null, stoppedAt: at, stoppedBy: by };
}

/** The people a step's targets name at this moment, each once; `missing` lists targets nobody fills. */
export function recipients(
  targets: readonly EscalationTarget[],
  people: Partial<Record<EscalationTarget, OnCallPerson | null>>,
): { people: OnCallPerson[]; missing: EscalationTarget[] } {
  const found: OnCallPerson[] = [];
  const missing: EscalationTarget[] = [];
  for (const t of targets) {
    const p = people[t];
    if (!p) missing.push(t);
    else if (!found.some((f) => samePerson(f, p))) found.push(p);
  }
  return { people: found, missing };
}

/** How a step reads on the timeline and in chat, e.g. `step 2 of 4: direct message to the on-call`. */
export function describeStep(step: EscalationStep, index: number, total: number): string {
  const what =
    step.kind === 'page'
      ? `page via ${step.page}`
      : `${step.kind === 'dm' ? 'direct message to' : 'mention of'} ${step.targets.map((t) => TARGET_NAMES[t]).join(' and ')}`;
  return `step ${index + 1} of ${total}: ${what}`;
}

const TARGET_NAMES: Record<EscalationTarget, string> = {
  oncall: 'the on-call',
  'next-oncall': 'the next on-call',
  lead: 'the provider lead',
  'service-manager': 'the service manager',
};
