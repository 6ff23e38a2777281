import { isTicketLane } from '../core/outbox/outbox-command';
import type { Redactor } from '../core/redact/redact';
import { unhandled } from '../core/unhandled';
import type { Runbook } from '../core/runbook/runbook';
import type {
  IncidentRecord,
  IncidentTickets,
  OutboxCommand,
  Store,
  TicketLane,
  TicketOutboxCommand,
} from '../ports/store';
import type { HandoffIssues, TicketRef, TicketSystem } from '../ports/ticket-system';
import { BridgeError } from '../errors';
import type { TicketAttachments } from '../ports/ticket-attachments';
import { buildTicketDraft } from './build-ticket-draft';
import { copyAttachment } from './copy-attachment';
import type { CommandOutcome } from './lane-runner';
import { summarizeChanges } from './summarize-changes';

export interface CommandDeps {
  store: Pick<Store, 'incidents' | 'timeline'>;
  system: TicketSystem;
  runbooks: ReadonlyMap<string, Runbook>;
  redactor: Redactor;
  publicUrl: string;
  /** ServiceNow `close_code` (Jira ignores it). */
  closeCode: string;
  /** Jira: the receiving provider's issue on an accepted hand-off, and what `handoff.jira` configures. */
  handoffIssues?: HandoffIssues & { linkType: string; transition: string | null };
  /** Both systems' attachments, for the sync's attachment copies (read on one, written on the other). */
  attachments?: Partial<Record<TicketLane, TicketAttachments>>;
}

/** A ticket command on a ticket lane. */
export const isTicketCommand = (cmd: OutboxCommand): cmd is TicketOutboxCommand =>
  cmd.kind !== 'unreadable' && isTicketLane(cmd.lane);

/** The stored ticket of a lane as the adapter's TicketRef. */
export function ticketRef(tickets: IncidentTickets, lane: TicketLane): TicketRef | null {
  if (lane === 'servicenow' && tickets.servicenow)
    return { id: tickets.servicenow.sys_id, key: tickets.servicenow.number, url: tickets.servicenow.url };
  if (lane === 'jira' && tickets.jira)
    return { id: tickets.jira.id ?? tickets.jira.key, key: tickets.jira.key, url: tickets.jira.url };
  return null;
}

/** Stores a lane's ticket in the incident's `tickets` object (the API shape). */
export function withTicket(
  tickets: IncidentTickets,
  lane: TicketLane,
  ref: TicketRef | null,
): IncidentTickets {
  const next = { ...tickets };
  if (lane === 'servicenow') {
    if (ref) next.servicenow = { number: ref.key, sys_id: ref.id, url: ref.url };
    else delete next.servicenow;
  } else if (ref) next.jira = { key: ref.key, url: ref.url, id: ref.id };
  else delete next.jira;
  return next;
}

const other = (lane: TicketLane): TicketLane => (lane === 'servicenow' ? 'jira' : 'servicenow');

/** What changed on the incident's timeline since `since` (a coalesced note's text), '' if nothing did. */
async function changesSince(deps: CommandDeps, incident: IncidentRecord, since: string | undefined) {
  if (since === undefined) return '';
  const entries = (await deps.store.timeline.of(incident.id, 1000)).filter((e) => e.at >= since);
  return summarizeChanges(entries) ?? '';
}

/** A command's own text followed by the summary of an absorbed note. */
const withChanges = (text: string, changes: string) => (changes ? `${text}\n\n${changes}` : text);

/**
 * Performs one ticket command (ServiceNow or Jira lane) against its ticket system; chat lanes have
 * their own runner (run-chat-command). Idempotent by construction: a create whose earlier attempt may
 * have succeeded remotely (timeout, 5xx, crash) first looks the ticket up by our key.
 */
export async function runTicketCommand(
  deps: CommandDeps,
  cmd: TicketOutboxCommand,
  incident: IncidentRecord,
): Promise<CommandOutcome> {
  const system = deps.system;
  const lane = system.name;
  const current = ticketRef(incident.tickets, lane);
  switch (cmd.kind) {
    case 'create': {
      if (current) return { summary: `already linked to ${current.key}` };
      if (cmd.attempts > 0) {
        const found = await system.findByIncidentKey(incident.key, incident.provider);
        if (found) return { summary: `found ${found.key} created by an earlier attempt`, ticket: found };
      }
      const draft = await draftOf(deps, incident);
      const peer = ticketRef(incident.tickets, other(lane));
      if (peer)
        draft.links.push({
          label: `${other(lane) === 'servicenow' ? 'ServiceNow' : 'Jira'} ${peer.key}`,
          url: peer.url,
        });
      const ref = await system.create(draft);
      return { summary: `created ${ref.key}`, ticket: ref };
    }
    case 'note': {
      if (!current) return { summary: 'no ticket to annotate; skipped' };
      const text = await changesSince(deps, incident, cmd.payload.since);
      if (!text) return { summary: 'nothing new to report' };
      await system.addNote(current, deps.redactor.text(text));
      return { summary: `note added to ${current.key}` };
    }
    case 'resolve': {
      if (!current) return { summary: 'no ticket to resolve; skipped' };
      // A person resolved it from chat (payload.notes, their words), or every alert recovered.
      const notes = deps.redactor.text(
        withChanges(
          cmd.payload.notes ??
            `Resolved by itsm-bridge: all ${incident.alertCount} alert notification(s) recovered; incident resolved at ${incident.resolvedAt ?? 'now'} after the grace period.`,
          await changesSince(deps, incident, cmd.payload.since),
        ),
      );
      await system.resolve(current, { code: deps.closeCode, notes });
      return { summary: `resolved ${current.key}` };
    }
    case 'reopen': {
      if (!current) return { summary: 'no ticket to reopen; skipped' };
      const result = await system.reopen(
        current,
        deps.redactor.text(
          withChanges(
            `Reopened by itsm-bridge: the problem came back (reopen #${incident.reopenCount}).`,
            await changesSince(deps, incident, cmd.payload.since),
          ),
        ),
      );
      if (result === 'closed')
        return { summary: `${current.key} is closed; opening a new ticket`, ticket: null, recreate: true };
      return { summary: `reopened ${current.key}` };
    }
    case 'ack': {
      if (!current) return { summary: 'no ticket to acknowledge; skipped' };
      const p = cmd.payload;
      await system.acknowledge(current, {
        email: p.email,
        name: p.name,
        note: deps.redactor.text(p.note),
      });
      return { summary: `${current.key} acknowledged for ${p.name}` };
    }
    case 'comment': {
      if (!current) return { summary: 'no ticket to comment on; skipped' };
      const text = cmd.payload.text;
      if (!text) return { summary: 'empty comment; skipped' };
      await system.addNote(current, deps.redactor.text(text));
      return { summary: `comment added to ${current.key}` };
    }
    case 'reassign': {
      if (!current) return { summary: 'no ticket to reassign; skipped' };
      const p = cmd.payload;
      await system.reassign(current, { ...p, note: deps.redactor.text(p.note) });
      return { summary: `${current.key} handed to ${p.provider}${p.name ? ` (${p.name})` : ''}` };
    }
    case 'sync': {
      if (!current) return { summary: 'no ticket to sync to; skipped' };
      const w = cmd.payload.write;
      if (w.type === 'attachment') return copyAttachment(deps.attachments ?? {}, lane, current, incident, w);
      // A sync comment records its attempt before the call (outbox worker): attempts > 0 means an
      // earlier attempt may have written it already.
      await system.writeSync(current, w, { repeat: cmd.attempts > 0 });
      const what =
        w.type === 'field'
          ? `${w.field} set`
          : w.type === 'comment'
            ? `${w.visibility} comment added`
            : `${w.type} changed`;
      return { summary: `sync: ${what} on ${current.key}` };
    }
    case 'link': {
      const peer = ticketRef(incident.tickets, other(lane));
      if (!current || !peer) return { summary: 'both tickets are needed to link; skipped' };
      await system.linkTo(current, { system: other(lane), key: peer.key, url: peer.url });
      return { summary: `linked ${current.key} to ${peer.key}` };
    }
    case 'handoff_issue':
      return handoffIssue(deps, incident, current, cmd.payload);
    default:
      return unhandled(cmd);
  }
}

/** The ticket draft of an incident as it is now (title, alerts, runbook, links; redacted). */
async function draftOf(deps: CommandDeps, incident: IncidentRecord) {
  const [members, alerts] = await Promise.all([
    deps.store.incidents.members(incident.id),
    deps.store.incidents.alerts(incident.id, 1000),
  ]);
  return buildTicketDraft({
    incident,
    members,
    firstAlert: alerts[alerts.length - 1] ?? null,
    runbook: incident.runbookId ? (deps.runbooks.get(incident.runbookId) ?? null) : null,
    publicUrl: deps.publicUrl,
    redactor: deps.redactor,
  });
}

/**
 * The receiving provider's own Jira issue for an accepted hand-off, keyed `<incident key>/handoff/<id>`
 * like a create by the incident key: looked up first, so a retry after a crash (or a lost answer) finds
 * the issue instead of opening a second; then linked to the original, which gets the comment and the
 * configured transition.
 */
async function handoffIssue(
  deps: CommandDeps,
  incident: IncidentRecord,
  original: TicketRef | null,
  p: Extract<TicketOutboxCommand, { kind: 'handoff_issue' }>['payload'],
): Promise<CommandOutcome> {
  if (!deps.handoffIssues)
    throw new BridgeError('wrong_lane', `${deps.system.name} has no hand-off issues; only Jira does`);
  if (!original) return { summary: 'no Jira issue to link the hand-off to; skipped' };
  const key = `${incident.key}/handoff/${p.handoffId}`;
  const found = await deps.system.findByIncidentKey(key, p.provider);
  const issue =
    found ??
    (await deps.system.create({
      ...(await draftOf(deps, incident)),
      incidentKey: key,
      provider: p.provider,
      links: [{ label: `Jira ${original.key} (${p.from})`, url: original.url }],
    }));
  const sn = incident.tickets.servicenow;
  await deps.handoffIssues.linkHandoff(issue, original, {
    linkType: deps.handoffIssues.linkType,
    transition: deps.handoffIssues.transition,
    servicenow: sn ? { key: sn.number, url: sn.url } : null,
    comment: deps.redactor.text(`${p.comment}\nThe receiving provider's issue: ${issue.key} (${issue.url}).`),
  });
  return {
    summary: `${found ? 'found' : 'created'} ${issue.key} for ${p.provider}, linked to ${original.key}`,
  };
}
