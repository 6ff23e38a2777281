import {
  describeStep,
  dueStep,
  policyFor,
  recipients,
  startEscalation,
  stopEscalation,
  type Escalation,
  type EscalationPolicy,
  type EscalationStep,
  type EscalationTarget,
  type EscalationTrigger,
} from '../core/escalation/escalation';
import type { OnCallPerson } from '../core/oncall/schedule';
import type { Redactor } from '../core/redact/redact';
import type { ChatMention } from '../ports/chat';
import type { Clock } from '../ports/clock';
import type { ChatLane, IncidentRecord, Transactional, UnitOfWork } from '../ports/store';
import { recordEvent } from './record-event';

/** Who fills each escalation target of a provider at an instant (on-call, next, lead, service manager). */
export type EscalationPeople = (
  provider: string,
  at: Date,
) => Partial<Record<EscalationTarget, OnCallPerson | null>>;

export interface EscalationSettings {
  /** Policies by provider name. */
  policies: Readonly<Record<string, readonly EscalationPolicy[]>>;
}

export interface EscalationDeps extends EscalationSettings {
  store: Transactional;
  clock: Clock;
  people: EscalationPeople;
  redactor: Redactor;
  /** Chat platforms that get the mentions and direct messages. */
  chatLanes: readonly ChatLane[];
  /** The paging lane runs (a pager is configured or sandboxed). */
  paging: boolean;
  publicUrl: string;
}

const ACTOR = 'job:escalations';
type EscalationWork = Pick<UnitOfWork, 'escalations' | 'timeline' | 'audit' | 'outbox'>;

/**
 * Starts the provider's policy for the incident (when it has one for the priority), in the caller's
 * transaction; a run of the same provider and trigger still running is stopped first (a second expiry
 * starts over).
 */
export async function startIncidentEscalation(
  uow: EscalationWork,
  settings: EscalationSettings,
  o: {
    incident: Pick<IncidentRecord, 'id' | 'priority'>;
    provider: string;
    trigger: EscalationTrigger;
    at: string;
  },
): Promise<Escalation | null> {
  const run = startEscalation({
    incidentId: o.incident.id,
    provider: o.provider,
    priority: o.incident.priority,
    trigger: o.trigger,
    at: o.at,
    policy: policyFor(settings.policies[o.provider] ?? [], o.incident.priority),
  });
  if (!run) return null;
  for (const r of await uow.escalations.ofIncident(o.incident.id))
    if (r.state === 'running' && r.provider === o.provider && r.trigger === o.trigger)
      await stop(uow, r, ACTOR, o.at, `a new ${o.trigger} run replaces it`);
  return uow.escalations.insert(run);
}

/** The paging targets a run has paged so far: they get the acknowledge and the resolve. */
const pagedTargets = (runs: readonly Escalation[]) => [
  ...new Set(
    runs.flatMap((r) => r.steps.slice(0, r.nextStep).flatMap((s) => (s.kind === 'page' ? [s.page] : []))),
  ),
];

/**
 * Stops every running run of the incident (acknowledged, resolved, taken over), each on the timeline and
 * in the audit log; the paging targets its runs paged get `acknowledge` or `resolve`. Returns how many
 * runs stopped.
 */
export async function stopIncidentEscalations(
  uow: EscalationWork,
  o: {
    incidentId: number;
    by: string;
    at: string;
    reason: string;
    /** What the paging targets learn; `none` leaves them alone. */
    page: 'acknowledge' | 'resolve' | 'none';
    /** Only runs started by these triggers (an ack leaves a hand-off's runs to the hand-off). */
    triggers?: readonly EscalationTrigger[];
    summary?: string;
  },
): Promise<number> {
  const runs = (await uow.escalations.ofIncident(o.incidentId)).filter(
    (r) => o.triggers === undefined || o.triggers.includes(r.trigger),
  );
  const running = runs.filter((r) => r.state === 'running');
  for (const r of running) await stop(uow, r, o.by, o.at, o.reason);
  // Finished runs paged too: the phone that rang learns that someone is on it.
  if (o.page !== 'none')
    for (const target of pagedTargets(runs))
      await uow.outbox.enqueue({
        incidentId: o.incidentId,
        lane: 'paging',
        kind: 'page',
        payload: { target, action: o.page, summary: o.summary ?? o.reason, severity: 'info' },
        notBefore: o.at,
        at: o.at,
      });
  return running.length;
}

async function stop(uow: EscalationWork, r: Escalation, by: string, at: string, reason: string) {
  await uow.escalations.update(stopEscalation(r, by, at));
  const data = { escalationId: r.id, provider: r.provider };
  await recordEvent(uow, {
    incidentId: r.incidentId,
    at,
    actor: by,
    type: 'escalation_stopped',
    data,
    reason: `escalation of ${r.provider} stopped: ${reason}`,
    audit: data,
  });
}

const SEVERITY: Record<number, 'critical' | 'error' | 'warning' | 'info'> = {
  1: 'critical',
  2: 'error',
  3: 'warning',
};

const minutesSince = (from: string, now: Date) =>
  Math.max(0, Math.round((now.getTime() - Date.parse(from)) / 60_000));

/** The platform id of a person on a chat lane, if they have one. */
const chatId = (p: OnCallPerson, lane: ChatLane) => (lane === 'slack' ? p.slackUser : p.teamsUser);

/**
 * Runs the escalation steps that are due, driven by the stored runs (`next_due_at`) and the injected
 * clock: each step is recorded on the timeline and in the audit log and its messages and pages are
 * queued in the outbox — in one transaction with the run's next step, so a restart between two steps
 * loses none and sends none twice. A run whose incident was acknowledged or resolved meanwhile stops.
 * Returns how many steps ran.
 */
export async function tickEscalations(deps: EscalationDeps, limit = 200, maxBatches = 25): Promise<number> {
  // Batches of `limit` runs, each its own transaction, until the due ones are done: a thousand deadlines
  // in the same second are all handled in this tick, yet no transaction grows without bound.
  let ran = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const r = await escalationBatch(deps, limit);
    ran += r.steps;
    if (r.runs < limit) break;
  }
  return ran;
}

async function escalationBatch(
  deps: EscalationDeps,
  limit: number,
): Promise<{ runs: number; steps: number }> {
  return deps.store.unitOfWork(async (uow) => {
    const now = deps.clock.now();
    const at = now.toISOString();
    let ran = 0;
    const people = new Map<string, ReturnType<EscalationPeople>>();
    const peopleOf = (provider: string) => {
      if (!people.has(provider)) people.set(provider, deps.people(provider, now));
      return people.get(provider)!;
    };
    const due = await uow.escalations.due(at, limit);
    for (let run of due) {
      const incident = await uow.incidents.get(run.incidentId);
      const over = !incident
        ? 'the incident is gone'
        : incident.state === 'resolved'
          ? 'the incident is resolved'
          : incident.acknowledged && run.trigger !== 'handoff'
            ? `acknowledged by ${incident.acknowledged.name}`
            : null;
      if (!incident || over) {
        await stop(uow, run, ACTOR, at, over ?? 'the incident is gone');
        continue;
      }
      for (let step = dueStep(run, at); step; step = dueStep(run, at)) {
        await runStep(deps, uow, {
          run,
          incident,
          step: step.step,
          index: step.index,
          now,
          people: peopleOf(run.provider),
        });
        run = step.next;
        ran++;
      }
      await uow.escalations.update(run);
    }
    return { runs: due.length, steps: ran };
  });
}

async function runStep(
  deps: EscalationDeps,
  uow: EscalationWork,
  o: {
    run: Escalation;
    incident: IncidentRecord;
    step: EscalationStep;
    index: number;
    now: Date;
    people: ReturnType<EscalationPeople>;
  },
) {
  const { run, incident, step, now } = o;
  const at = now.toISOString();
  const ticket = incident.tickets.servicenow?.number ?? incident.tickets.jira?.key ?? `#${incident.id}`;
  const why =
    run.trigger === 'handoff'
      ? 'a hand-off is not accepted in time'
      : run.trigger === 'ping_pong'
        ? 'it has changed provider too often (hand-off ping-pong); please decide who owns it'
        : `not acknowledged after ${minutesSince(incident.openedAt, now)} min`;
  const headline = deps.redactor.text(
    `P${incident.priority} ${ticket} "${incident.title}" (${run.provider}): ${why}.`,
  );
  const link = `${deps.publicUrl}/api/incidents/${incident.id}`;
  let notified: string[];
  let missing: string[] = [];
  const enqueue = (
    lane: ChatLane,
    payload: { where: 'thread' | 'dm'; user?: string; mentions: ChatMention[]; text: string },
  ) => uow.outbox.enqueue({ incidentId: incident.id, lane, kind: 'chat_notify', payload, notBefore: at, at });

  if (step.kind === 'page') {
    notified = [step.page];
    if (deps.paging)
      await uow.outbox.enqueue({
        incidentId: incident.id,
        lane: 'paging',
        kind: 'page',
        payload: {
          target: step.page,
          action: 'trigger',
          summary: headline,
          severity: SEVERITY[incident.priority] ?? 'info',
        },
        notBefore: at,
        at,
      });
    else missing = [step.page];
  } else {
    const found = recipients(step.targets, o.people);
    // Reached means pinged on a platform that is on; anyone else is named as missing, never dropped.
    const reached = found.people.filter((p) => deps.chatLanes.some((lane) => chatId(p, lane)));
    notified = reached.map((p) => p.name);
    missing = [
      ...found.missing,
      ...found.people.filter((p) => !reached.includes(p)).map((p) => `${p.name} (no chat id)`),
    ];
    for (const lane of deps.chatLanes) {
      const reachable = found.people.filter((p) => chatId(p, lane));
      const mentions = reachable.map((p) => ({ id: chatId(p, lane)!, name: p.name }));
      if (step.kind === 'mention') {
        const unnamed = found.people.filter((p) => !chatId(p, lane)).map((p) => p.name);
        const names = unnamed.length ? ` (${unnamed.join(', ')})` : '';
        await enqueue(lane, { where: 'thread', mentions, text: `${headline} Please acknowledge.${names}` });
      } else
        for (const m of mentions)
          await enqueue(lane, {
            where: 'dm',
            user: m.id,
            mentions: [],
            text: `${headline} Please acknowledge: ${link}`,
          });
    }
  }
  const data = {
    escalationId: run.id,
    provider: run.provider,
    step: o.index,
    of: run.steps.length,
    kind: step.kind,
    notified,
    missing,
  };
  const described = describeStep(step, o.index, run.steps.length);
  await recordEvent(uow, {
    incidentId: incident.id,
    at,
    actor: ACTOR,
    type: 'escalation_step',
    data,
    reason: `${described}${notified.length ? ` (${notified.join(', ')})` : ''}${missing.length ? `; nobody for ${missing.join(', ')}` : ''}`,
    audit: data,
  });
}
