import type { Provider } from '../config/providers';
import type { SlaReport } from '../core/sla/report-model';
import type {
  ChatAction,
  ChatActor,
  ChatHandoffDecision,
  ChatCommands,
  ChatIncident,
  CommandResult,
  ReportHeadline,
} from '../ports/chat';
import type { IncidentRecord, Store, TimelineEntry } from '../ports/store';
import { chatIncidentView, TIMELINE_LIMIT, type ChatViewDeps } from '../app/chat-incident-view';
import { isOpen, type HandoffNote } from '../core/handoff/handoff';
import { limitText } from '../core/text/limit-text';
import { actorId, type ActionDeps, type ActionResult } from '../app/chat-action';
import { acknowledgeIncident } from '../app/acknowledge-incident';
import { addIncidentNote } from '../app/add-incident-note';
import { completeRunbookStep } from '../app/complete-runbook-step';
import { resolveIncident } from '../app/resolve-incident';
import { listOnCall } from '../app/list-oncall';
import type { OnCallSchedule } from '../core/oncall/schedule';
import { oncallAnswer } from './oncall-answer';
import { parseCommand, USAGE } from './parse-command';
import { isShadowVerb, runShadowAction, shadowRefusal } from './shadow-command';
import { offerIncidentHandoff, type HandoffActor, type HandoffResult } from '../app/offer-incident-handoff';
import { decideIncidentHandoff } from '../app/decide-incident-handoff';
import type { ShiftHandover } from '../core/oncall/shift-handover';

const handoffActor = (a: ChatActor): HandoffActor => ({ id: actorId(a), name: a.name, email: a.email });

/** The longest pre-filled "actions taken" (Slack's plain_text_input takes at most 3,000 characters). */
const MAX_PREFILL = 3000;

/**
 * "Actions taken" as the dialog pre-fills it: the runbook steps done, then the people's notes, oldest
 * first — so the receiving provider reads what was tried without opening the timeline.
 */
export function actionsTakenText(incident: ChatIncident, timeline: readonly TimelineEntry[]): string {
  const at = (iso: string) => `${iso.slice(11, 16)} UTC`;
  const steps = (incident.runbook?.steps ?? []).flatMap((s) =>
    s.done ? [`Runbook step ${s.index + 1} done by ${s.done.by} at ${at(s.done.at)}: ${s.text}`] : [],
  );
  const notes = timeline.flatMap((e) =>
    e.type === 'note' ? [`Note by ${e.data.name} at ${at(e.at)}: ${e.data.note}`] : [],
  );
  return limitText([...steps, ...notes].join('\n'), MAX_PREFILL, (c) => c.length);
}

export interface ChatCommandsDeps extends Omit<ActionDeps, 'store'>, Omit<ChatViewDeps, 'store'> {
  store: ActionDeps['store'] & ChatViewDeps['store'] & Pick<Store, 'handoffs'>;
  providers: readonly Provider[];
  /** On-call rotations by provider name; a provider without one shows its static `oncall` list. */
  oncallSchedules: Readonly<Record<string, OnCallSchedule>>;
  /** The change of provider that goes to the service manager (`handoff.pingPongAfter`). */
  pingPongAfter?: number;
  /** User ids in a Slack user group (the adapter caches); [] when unknown. */
  groupMembers(groupId: string): Promise<string[]>;
  /** Builds the month's SLA report, with the HTML and CSV renderings; absent when reports are off. */
  report?(month: string): Promise<{ report: SlaReport; html: string; csv: string }>;
  /** Called after a change was committed (wakes the outbox so tickets and chat follow at once). */
  afterChange(): void;
  /** Shift handovers (`shift`, `shift ack <id>`); absent: the commands say they are off. */
  shifts?: {
    request(provider: string, by: string): Promise<ShiftHandover>;
    acknowledge(
      id: number,
      by: string,
      name: string,
    ): Promise<{ ok: true; handover: ShiftHandover } | { ok: false; message: string }>;
    get(id: number): Promise<ShiftHandover | null>;
  };
}

const MAX_LIST = 20;

const refused = (text: string): CommandResult => ({ kind: 'text', ok: false, text });

/**
 * The platform-neutral commands behind `/itsm`, Slack buttons and modals, and Teams messages and card
 * actions. Authorization lives here so both platforms enforce the same rule: only members of the
 * incident's provider may acknowledge, resolve, hand off or tick runbook steps; anyone may add a note.
 */
export class ChatCommandService implements ChatCommands {
  constructor(private readonly deps: ChatCommandsDeps) {}

  async run(actor: ChatActor, text: string): Promise<CommandResult> {
    const cmd = parseCommand(text);
    switch (cmd.name) {
      case 'help':
        return {
          kind: 'text',
          ok: true,
          text: ['Commands:', ...Object.values(USAGE).map((u) => `• ${u}`)].join('\n'),
        };
      case 'invalid':
        return refused(cmd.message);
      case 'list':
        return this.#list(actor, cmd.filter);
      case 'oncall':
        return this.#oncall();
      case 'report':
        return this.#report(cmd.month);
      case 'shift':
        return this.#shift(actor, cmd.provider);
      case 'shift_ack':
        return this.#shiftAck(actor, cmd.id);
      case 'handoff': {
        const inc = await this.#find(cmd.ref);
        if (!inc) return this.#notFound(cmd.ref);
        return this.act(actor, { verb: 'handoff', incidentId: inc.id, to: cmd.to });
      }
      case 'handoff_offer': {
        const inc = await this.#find(cmd.ref);
        if (!inc) return this.#notFound(cmd.ref);
        return this.offerHandoff(actor, { incidentId: inc.id, to: cmd.to, note: cmd.note });
      }
      case 'handoff_decide':
        return this.decideHandoff(actor, cmd.id, { kind: cmd.decision });
      case 'handoff_reject':
        return this.decideHandoff(actor, cmd.id, { kind: 'reject', reason: cmd.reason });
      case 'show':
      case 'runbook': {
        const inc = await this.#find(cmd.ref);
        if (!inc) return this.#notFound(cmd.ref);
        const view = await this.#view(inc);
        if (cmd.name === 'runbook' && !view.runbook)
          return { kind: 'incident', text: `No runbook matches ${cmd.ref}.`, incident: view };
        return { kind: 'incident', text: `${cmd.ref}: ${view.title}`, incident: view };
      }
      case 'ack':
      case 'resolve':
      case 'note': {
        const inc = await this.#find(cmd.ref);
        if (!inc) return this.#notFound(cmd.ref);
        if (cmd.name === 'ack') return this.act(actor, { verb: 'ack', incidentId: inc.id });
        if (cmd.name === 'note') return this.act(actor, { verb: 'note', incidentId: inc.id, text: cmd.text });
        return this.act(actor, { verb: 'resolve', incidentId: inc.id, note: cmd.note });
      }
    }
  }

  async act(actor: ChatActor, action: ChatAction): Promise<CommandResult> {
    const inc = await this.deps.store.incidents.get(action.incidentId);
    if (!inc) return refused(`Incident ${action.incidentId} does not exist.`);
    // Transition mode: the shadow provider's people act as shadow (recorded, no ticket changed).
    if (inc.shadow && inc.shadow !== inc.provider && !(await this.#isMember(actor, inc.provider)))
      if (await this.#isMember(actor, inc.shadow))
        return isShadowVerb(action)
          ? runShadowAction(this.deps, actor, inc, action)
          : shadowRefusal(this.#name(inc.shadow), this.#name(inc.provider));
    if (action.verb !== 'note' && !(await this.#isMember(actor, inc.provider))) {
      const p = this.#provider(inc.provider);
      return refused(
        `Only members of ${p?.displayName ?? inc.provider} may ${action.verb === 'step' ? 'tick runbook steps of' : action.verb === 'ack' ? 'acknowledge' : action.verb === 'handoff' ? 'hand off' : 'resolve'} this incident. Ask an admin to add you to providers[].members in itsm-bridge.yaml.`,
      );
    }
    let result: ActionResult;
    switch (action.verb) {
      case 'handoff':
        return this.#handoffForm(inc, action.to ?? null);
      case 'ack':
        result = await acknowledgeIncident(this.deps, actor, inc.id);
        break;
      case 'resolve': {
        const note = action.note?.trim() ?? '';
        if (!note) {
          if (inc.state === 'resolved') return refused('This incident is already resolved.');
          return { kind: 'needs_note', incident: await this.#view(inc) };
        }
        result = await resolveIncident(this.deps, actor, inc.id, note.slice(0, 4000));
        break;
      }
      case 'note': {
        const text = action.text.trim();
        if (!text) return refused('The note is empty.');
        result = await addIncidentNote(this.deps, actor, inc.id, text.slice(0, 4000));
        break;
      }
      case 'step': {
        const view = await this.#view(inc);
        result = await completeRunbookStep(
          { ...this.deps, stepText: (_i, step) => view.runbook?.steps[step]?.text ?? null },
          actor,
          inc.id,
          action.step,
        );
        break;
      }
    }
    if (!result.ok) return refused(result.message);
    this.deps.afterChange();
    return { kind: 'incident', text: result.message, incident: await this.#view(result.incident) };
  }

  async offerHandoff(
    actor: ChatActor,
    o: { incidentId: number; to: string; note: HandoffNote },
  ): Promise<CommandResult> {
    const inc = await this.deps.store.incidents.get(o.incidentId);
    if (!inc) return refused(`Incident ${o.incidentId} does not exist.`);
    if (!(await this.#isMember(actor, inc.provider)))
      return this.#notMember(inc.provider, 'hand off this incident');
    return this.#handoffAnswer(
      await offerIncidentHandoff(this.#handoffDeps(), handoffActor(actor), {
        incidentId: inc.id,
        to: o.to,
        note: o.note,
      }),
    );
  }

  async decideHandoff(
    actor: ChatActor,
    handoffId: number,
    decision: ChatHandoffDecision,
  ): Promise<CommandResult> {
    const refusal = await this.#mayDecide(actor, handoffId, decision.kind, false);
    if (refusal) return refusal;
    const d =
      decision.kind === 'reject'
        ? { kind: 'reject' as const, reason: decision.reason.slice(0, 4000) }
        : decision;
    return this.#handoffAnswer(
      await decideIncidentHandoff(this.#handoffDeps(), handoffActor(actor), handoffId, d),
    );
  }

  mayDecideHandoff(actor: ChatActor, handoffId: number, kind: ChatHandoffDecision['kind']) {
    return this.#mayDecide(actor, handoffId, kind, true);
  }

  /**
   * The receiving provider accepts or rejects; the offering side cancels. `closed`: a closed hand-off is
   * refused here too (the decision itself re-checks inside its transaction, where a race is decided).
   */
  async #mayDecide(
    actor: ChatActor,
    handoffId: number,
    kind: ChatHandoffDecision['kind'],
    closed: boolean,
  ): Promise<CommandResult | null> {
    const h = await this.deps.store.handoffs.get(handoffId);
    if (!h) return refused(`Hand-off ${handoffId} does not exist.`);
    const cancel = kind === 'cancel';
    const side = cancel ? h.from : h.to;
    if (!(await this.#isMember(actor, side)))
      return this.#notMember(side, cancel ? 'cancel this hand-off' : 'accept or reject this hand-off');
    if (closed && !isOpen(h.state))
      return refused(
        `Hand-off ${h.id} was already ${h.state}${h.decidedBy ? ` by ${h.decidedBy} at ${h.decidedAt}` : ''}.`,
      );
    return null;
  }

  /** The hand-off dialog: the other providers to pick from, "actions taken" pre-filled from the timeline. */
  async #handoffForm(inc: IncidentRecord, to: string | null): Promise<CommandResult> {
    if (inc.state === 'resolved') return refused(`Incident ${inc.id} is resolved; nothing to hand off.`);
    const providers = this.deps.providers
      .filter((p) => p.name !== inc.provider)
      .map((p) => ({ name: p.name, displayName: p.displayName ?? p.name }));
    if (to !== null && !this.#provider(to))
      return refused(
        `Unknown provider "${to}". Known: ${this.deps.providers.map((p) => p.name).join(', ')}.`,
      );
    if (to === inc.provider) return refused(`${this.#name(to)} already owns this incident.`);
    const timeline = await this.deps.store.timeline.of(inc.id, TIMELINE_LIMIT);
    const incident = await chatIncidentView(this.deps, inc, timeline);
    return {
      kind: 'needs_handoff_note',
      form: {
        incident,
        to,
        providers,
        actionsTaken: this.deps.redactor.text(actionsTakenText(incident, timeline)),
      },
    };
  }

  #handoffDeps() {
    return { ...this.deps, providers: this.deps.providers.map((p) => p.name) };
  }

  async #handoffAnswer(r: HandoffResult): Promise<CommandResult> {
    if (!r.ok) return refused(r.message);
    this.deps.afterChange();
    const h = r.handoff;
    const inc = await this.deps.store.incidents.get(h.incidentId);
    const text =
      h.state === 'offered'
        ? `Hand-off ${h.id} offered to ${this.#name(h.to)}; accept by ${h.deadline.slice(11, 16)} UTC with "handoff accept ${h.id}".`
        : `Hand-off ${h.id} to ${this.#name(h.to)} ${h.state}.`;
    return inc
      ? { kind: 'incident', text, incident: await this.#view(inc) }
      : { kind: 'text', ok: true, text };
  }

  #name(provider: string): string {
    return this.#provider(provider)?.displayName ?? provider;
  }

  #notMember(provider: string, what: string): CommandResult {
    return refused(
      `Only members of ${this.#name(provider)} may ${what}. Ask an admin to add you to providers[].members in itsm-bridge.yaml.`,
    );
  }

  /** Incidents for the App Home tab: acknowledged by me, and my providers' open queue. */
  async home(actor: ChatActor): Promise<{ mine: ChatIncident[]; queue: ChatIncident[] }> {
    const open = await this.deps.store.incidents.list({ state: 'open', limit: 200 });
    const me = actorId(actor);
    const mine = open.filter((i) => i.acknowledged?.by === me);
    const providers = new Set<string>();
    for (const p of this.deps.providers) if (await this.#isMember(actor, p.name)) providers.add(p.name);
    const queue = open.filter((i) => providers.has(i.provider) && !i.acknowledged);
    return {
      mine: await Promise.all(mine.slice(0, MAX_LIST).map((i) => this.#view(i))),
      queue: await Promise.all(queue.slice(0, MAX_LIST).map((i) => this.#view(i))),
    };
  }

  async #list(
    actor: ChatActor,
    filter: { kind: 'open' } | { kind: 'mine' } | { kind: 'branch'; branch: string },
  ): Promise<CommandResult> {
    const open = await this.deps.store.incidents.list({ state: 'open', limit: 500 });
    const me = actorId(actor);
    const picked =
      filter.kind === 'mine'
        ? open.filter((i) => i.acknowledged?.by === me)
        : filter.kind === 'branch'
          ? open.filter((i) => (i.branch ?? '').toLowerCase() === filter.branch.toLowerCase())
          : open;
    const title =
      filter.kind === 'mine'
        ? 'Open incidents acknowledged by you'
        : filter.kind === 'branch'
          ? `Open incidents at branch ${filter.branch}`
          : 'Open incidents';
    const sorted = [...picked].sort((a, b) => a.priority - b.priority || b.id - a.id).slice(0, MAX_LIST);
    return {
      kind: 'incidents',
      title: picked.length > MAX_LIST ? `${title} — the ${MAX_LIST} most urgent of ${picked.length}` : title,
      incidents: await Promise.all(sorted.map((i) => this.#view(i))),
    };
  }

  #oncall(): CommandResult {
    const { providers, oncallSchedules: schedules, clock } = this.deps;
    return { kind: 'text', ok: true, text: oncallAnswer(listOnCall({ providers, schedules }, clock.now())) };
  }

  async #report(month: string): Promise<CommandResult> {
    if (!this.deps.report) return refused('The SLA report is not configured on this bridge.');
    const { report, html, csv } = await this.deps.report(month);
    return {
      kind: 'report',
      headline: reportHeadline(report, this.deps.publicUrl),
      files: [
        { name: `sla-report-${month}.html`, content: Buffer.from(html), mime: 'text/html' },
        { name: `sla-report-${month}.csv`, content: Buffer.from(csv), mime: 'text/csv' },
      ],
    };
  }

  async #find(ref: string): Promise<IncidentRecord | null> {
    if (/^[0-9]+$/.test(ref)) return this.deps.store.incidents.get(Number(ref));
    return this.deps.store.incidents.findByTicket(ref);
  }

  #notFound(ref: string): CommandResult {
    return refused(`No incident found for ${ref}.`);
  }

  #view(inc: IncidentRecord): Promise<ChatIncident> {
    return chatIncidentView(this.deps, inc);
  }

  #provider(name: string): Provider | undefined {
    return this.deps.providers.find((p) => p.name === name);
  }

  /** Hands the shift over now: the asker's provider (or the one named), members only. */
  async #shift(actor: ChatActor, named: string | null): Promise<CommandResult> {
    if (!this.deps.shifts) return refused('Shift handovers are not set up on this bridge.');
    let provider = named;
    if (provider === null)
      for (const p of this.deps.providers)
        if (await this.#isMember(actor, p.name)) {
          provider = p.name;
          break;
        }
    if (provider === null) return refused(`Which provider? Usage: ${USAGE.shift}`);
    if (!this.#provider(provider)) return refused(`Unknown provider "${provider}".`);
    if (!(await this.#isMember(actor, provider))) return this.#notMember(provider, 'hand its shift over');
    const h = await this.deps.shifts.request(provider, actorId(actor));
    this.deps.afterChange();
    return {
      kind: 'text',
      ok: true,
      text: `Shift handover ${h.id} for ${this.#name(provider)} sent to ${h.incoming?.name ?? 'the channel'}: ${h.summary.length} open incident(s).`,
    };
  }

  /** The incoming on-call, the provider's members (and so its lead, when a member) acknowledge. */
  async #shiftAck(actor: ChatActor, id: number): Promise<CommandResult> {
    if (!this.deps.shifts) return refused('Shift handovers are not set up on this bridge.');
    const h = await this.deps.shifts.get(id);
    if (!h) return refused(`Shift handover ${id} does not exist.`);
    const incoming = h.incoming && (actor.platform === 'slack' ? h.incoming.slackUser : h.incoming.teamsUser);
    if (incoming !== actor.userId && !(await this.#isMember(actor, h.provider)))
      return this.#notMember(h.provider, 'acknowledge its shift handover');
    const r = await this.deps.shifts.acknowledge(id, actorId(actor), actor.name);
    if (!r.ok) return refused(r.message);
    return {
      kind: 'text',
      ok: true,
      text: `${actor.name} acknowledged shift handover ${id} for ${this.#name(h.provider)}.`,
    };
  }

  async #isMember(actor: ChatActor, provider: string): Promise<boolean> {
    const members = this.#provider(provider)?.members;
    if (!members) return false;
    if (actor.platform === 'teams') return members.teams.includes(actor.userId);
    if (members.slack.includes(actor.userId)) return true;
    for (const id of members.slack.filter((m) => m.startsWith('S')))
      if ((await this.deps.groupMembers(id)).includes(actor.userId)) return true;
    return false;
  }
}

/** The headline numbers posted to chat; the full report is attached. */
export function reportHeadline(r: SlaReport, publicUrl: string): ReportHeadline {
  const rows = new Map<string, ReportHeadline['byPriority'][number]>();
  for (const c of r.compliance) {
    if (c.priority === null) continue;
    const key = `P${c.priority}`;
    const row = rows.get(key) ?? { priority: key, tickets: 0, response: null, resolution: null };
    if (c.kind === 'response') row.response = c.percent;
    else {
      row.resolution = c.percent;
      row.tickets = c.total;
    }
    rows.set(key, row);
  }
  const minutes = (s: number | null) => (s === null ? null : Math.round(s / 60));
  return {
    month: r.month,
    tickets: r.totals.tickets,
    breaches: r.totals.breaches,
    byPriority: [...rows.values()].sort((a, b) => a.priority.localeCompare(b.priority)),
    mttaMinutes: minutes(r.mtta.business.mean),
    mttrMinutes: minutes(r.mttr.business.mean),
    links: {
      html: `${publicUrl}/reports/sla?month=${r.month}&format=html`,
      csv: `${publicUrl}/reports/sla?month=${r.month}&format=csv`,
    },
  };
}
