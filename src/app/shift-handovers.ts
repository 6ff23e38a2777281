import type { SlaConfig } from '../config/sla';
import {
  acknowledgeShift,
  rotationChangeAt,
  shiftHandoverText,
  type ShiftHandover,
  type ShiftItem,
  type ShiftTrigger,
} from '../core/oncall/shift-handover';
import { currentAndNext } from '../core/oncall/shifts-between';
import type { OnCallPerson, OnCallSchedule } from '../core/oncall/schedule';
import type { Redactor } from '../core/redact/redact';
import { evaluateTicket } from '../core/sla/evaluate-ticket';
import { compileSlaEngine } from '../sla/compile-sla';
import type { Clock } from '../ports/clock';
import type { ChatLane, IncidentRecord, Store, Transactional, UnitOfWork } from '../ports/store';
import { chatIncidentView, TIMELINE_LIMIT, type ChatViewDeps } from './chat-incident-view';
import { incidentTicketSource } from './incident-ticket-source';
import { NO_INCIDENT } from './lane-runner';
import { labelled } from './timeline-labels';
import { THREAD_LABELS } from './run-chat-command';

export interface ShiftHandoverSettings {
  /** An unacknowledged handover escalates to the provider lead after this many seconds. */
  acknowledgeWithin: number;
  /** A rotation change up to this many seconds ago still gets its handover (the bridge was down). */
  lateWindow: number;
}

export interface ShiftDeps extends ShiftHandoverSettings {
  store: Transactional & Pick<Store, 'incidents' | 'timeline' | 'handoffs' | 'histories'>;
  clock: Clock;
  /** Rotations by provider name; only providers with a rotation hand over at rotation changes. */
  schedules: Readonly<Record<string, OnCallSchedule>>;
  /** Who is on call now per provider (rotation or static list), for `/itsm shift`. */
  onCallNow(provider: string, at: Date): OnCallPerson | null;
  leads: Readonly<Record<string, OnCallPerson | undefined>>;
  chatLanes: readonly ChatLane[];
  sla: SlaConfig;
  view: ChatViewDeps;
  redactor: Redactor;
}

type ShiftWork = Pick<UnitOfWork, 'shifts' | 'audit' | 'outbox'>;

const chatId = (p: OnCallPerson, lane: ChatLane) => (lane === 'slack' ? p.slackUser : p.teamsUser);

/** The provider's open incidents as the incoming on-call needs them, oldest problem first. */
export async function shiftSummary(deps: ShiftDeps, provider: string, now: Date): Promise<ShiftItem[]> {
  const open = (await deps.store.incidents.list({ state: 'open', limit: 500 })).filter(
    (i) => i.provider === provider,
  );
  if (open.length === 0) return [];
  const slaLeft = await slaMinutesLeft(deps, open, now);
  const items: ShiftItem[] = [];
  for (const inc of open.sort((a, b) => (a.openedAt < b.openedAt ? -1 : 1))) {
    const timeline = await deps.store.timeline.of(inc.id, TIMELINE_LIMIT);
    const view = await chatIncidentView(deps.view, inc, timeline);
    const last = labelled(timeline, THREAD_LABELS).at(-1);
    const handoffs = await deps.store.handoffs.list({ incidentId: inc.id, state: 'open', limit: 5 });
    items.push({
      incidentId: inc.id,
      ticket: inc.tickets.servicenow?.number ?? inc.tickets.jira?.key ?? `#${inc.id}`,
      title: view.title,
      priority: inc.priority,
      openedAt: inc.openedAt,
      slaMinutesLeft: slaLeft.get(String(inc.id)) ?? null,
      lastAction: last
        ? { at: last.e.at, what: deps.redactor.text(`${last.label}: ${last.e.reason}`).slice(0, 200) }
        : null,
      acknowledgedBy: inc.acknowledged?.name ?? null,
      openSteps: view.runbook?.steps.filter((s) => !s.done).length ?? 0,
      handoffs: handoffs.map((h) => `to ${h.to} (${h.state})`),
    });
  }
  return items;
}

/** Business minutes left on each incident's running resolution clock (negative once breached). */
async function slaMinutesLeft(
  deps: ShiftDeps,
  open: IncidentRecord[],
  now: Date,
): Promise<Map<string, number>> {
  const ids = new Set(open.map((i) => String(i.id)));
  const engine = compileSlaEngine(deps.sla, now.getUTCFullYear());
  const from = new Date(Math.min(...open.map((i) => Date.parse(i.openedAt))));
  const out = new Map<string, number>();
  for await (const ticket of incidentTicketSource(deps.store.histories).tickets({ from, to: now })) {
    if (!ids.has(ticket.id)) continue;
    const clock = evaluateTicket(ticket, engine, now.getTime()).findLast(
      (r) => r.kind === 'resolution' && r.stoppedAt === null && r.targetSeconds !== null,
    );
    if (!clock || clock.targetSeconds === null) continue;
    out.set(ticket.id, Math.round((clock.targetSeconds - clock.elapsedBusinessSeconds) / 60));
  }
  return out;
}

/** The handover's messages: the provider's channel and a direct message to the incoming on-call, per platform. */
async function deliver(
  uow: ShiftWork,
  deps: Pick<ShiftDeps, 'chatLanes'>,
  h: ShiftHandover,
  text: string,
  at: string,
  to: { channel: boolean; person: OnCallPerson | null },
) {
  for (const lane of deps.chatLanes) {
    const base = { handoverId: h.id, provider: h.provider, text, ackButton: true };
    const enqueue = (payload: typeof base & { where: 'channel' | 'dm'; to: string }) =>
      uow.outbox.enqueue({ incidentId: NO_INCIDENT, lane, kind: 'shift_post', payload, notBefore: at, at });
    if (to.channel) await enqueue({ ...base, where: 'channel', to: h.provider });
    const user = to.person && chatId(to.person, lane);
    if (user) await enqueue({ ...base, where: 'dm', to: user });
  }
}

/** Stores a handover, audits it and queues its messages, in one transaction. */
async function handOver(
  deps: ShiftDeps,
  o: {
    provider: string;
    at: string;
    trigger: ShiftTrigger;
    requestedBy: string | null;
    outgoing: OnCallPerson | null;
    incoming: OnCallPerson | null;
    summary: ShiftItem[];
  },
): Promise<ShiftHandover | null> {
  const now = deps.clock.now();
  const sent = now.toISOString();
  return deps.store.unitOfWork(async (uow) => {
    if (o.trigger === 'rotation' && (await uow.shifts.rotationAt(o.provider, o.at))) return null;
    const h = await uow.shifts.insert({
      ...o,
      state: 'open',
      acknowledgedBy: null,
      acknowledgedAt: null,
      escalateAt: new Date(now.getTime() + deps.acknowledgeWithin * 1000).toISOString(),
    });
    const text = deps.redactor.text(shiftHandoverText(h, now.getTime()));
    await deliver(uow, deps, h, text, sent, { channel: true, person: h.incoming });
    await uow.audit.append({
      at: sent,
      actor: o.requestedBy ?? 'job:shifts',
      action: 'shift.handover',
      subject: `shift:${h.id}`,
      data: {
        provider: h.provider,
        trigger: h.trigger,
        at: h.at,
        outgoing: h.outgoing?.name ?? null,
        incoming: h.incoming?.name ?? null,
        incidents: h.summary.map((i) => i.incidentId),
      },
    });
    return h;
  });
}

/** `/itsm shift [provider]`: hands the provider's shift over now, from whoever asked to the on-call. */
export async function requestShiftHandover(
  deps: ShiftDeps,
  o: { provider: string; by: string },
): Promise<ShiftHandover> {
  const now = deps.clock.now();
  const schedule = deps.schedules[o.provider];
  const shifts = schedule ? currentAndNext(schedule, now.getTime()) : null;
  const summary = await shiftSummary(deps, o.provider, now);
  const h = await handOver(deps, {
    provider: o.provider,
    at: now.toISOString(),
    trigger: 'manual',
    requestedBy: o.by,
    outgoing: shifts?.now?.person ?? deps.onCallNow(o.provider, now),
    incoming: shifts?.next?.person ?? deps.onCallNow(o.provider, now),
    summary,
  });
  if (!h) throw new Error('a manual handover is never refused');
  return h;
}

/** The incoming on-call (or a provider member) acknowledges; a second click is told who did. */
export async function acknowledgeShiftHandover(
  deps: Pick<ShiftDeps, 'store' | 'clock'>,
  o: { id: number; by: string; name: string },
): Promise<{ ok: true; handover: ShiftHandover } | { ok: false; message: string }> {
  return deps.store.unitOfWork(async (uow) => {
    const h = await uow.shifts.get(o.id);
    if (!h) return { ok: false, message: `Shift handover ${o.id} does not exist.` };
    const at = deps.clock.now().toISOString();
    const r = acknowledgeShift(h, o.name, at);
    if (!r.ok) return r;
    await uow.shifts.update(r.handover);
    await uow.audit.append({
      at,
      actor: o.by,
      action: 'shift.acknowledged',
      subject: `shift:${h.id}`,
      data: { provider: h.provider, name: o.name, late: h.state === 'escalated' },
    });
    return r;
  });
}

/**
 * The shift timer, once per clock second after a correlation pass: a rotation change gets its handover
 * (once: a unique index, and the stored rows survive a restart), and an unacknowledged handover whose
 * time is up escalates to the provider lead by direct message. `nextCheck` keeps the expensive rotation
 * arithmetic to once per shift and provider. Returns how many handovers moved.
 */
export function shiftTimer(deps: ShiftDeps): () => Promise<number> {
  const nextCheck = new Map<string, number>();
  return async () => {
    const now = deps.clock.now();
    let moved = 0;
    for (const [provider, schedule] of Object.entries(deps.schedules)) {
      if (now.getTime() < (nextCheck.get(provider) ?? Number.NEGATIVE_INFINITY)) continue;
      const change = rotationChangeAt(schedule, now.getTime(), deps.lateWindow * 1000);
      nextCheck.set(provider, currentAndNext(schedule, now.getTime()).next?.from ?? Number.POSITIVE_INFINITY);
      if (!change) continue;
      const summary = await shiftSummary(deps, provider, now);
      const h = await handOver(deps, {
        provider,
        at: new Date(change.at).toISOString(),
        trigger: 'rotation',
        requestedBy: null,
        outgoing: change.outgoing,
        incoming: change.incoming,
        summary,
      });
      if (h) moved++;
    }
    moved += await deps.store.unitOfWork(async (uow) => {
      const at = now.toISOString();
      let n = 0;
      for (const h of await uow.shifts.due(at, 50)) {
        const escalated: ShiftHandover = { ...h, state: 'escalated', escalateAt: null };
        await uow.shifts.update(escalated);
        const lead = deps.leads[h.provider] ?? null;
        const text = deps.redactor.text(
          `Shift handover ${h.id} for ${h.provider} to ${h.incoming?.name ?? 'nobody'} was not acknowledged within ${Math.round(deps.acknowledgeWithin / 60)} min.\n${shiftHandoverText(h, now.getTime())}`,
        );
        await deliver(uow, deps, escalated, text, at, { channel: lead === null, person: lead });
        await uow.audit.append({
          at,
          actor: 'job:shifts',
          action: 'shift.escalated',
          subject: `shift:${h.id}`,
          data: { provider: h.provider, lead: lead?.name ?? null },
        });
        n++;
      }
      return n;
    });
    return moved;
  };
}
