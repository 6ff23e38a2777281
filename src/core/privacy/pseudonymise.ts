import type { TimelineEventType } from '../incident/timeline-event';
import type { HandoffNote } from '../handoff/handoff';
import type { OnCallPerson } from '../oncall/schedule';
import type { ShiftItem } from '../oncall/shift-handover';
import { SyncField } from '../sync/remote-change';
import { assigneeReason, notOwnedReason } from '../sync/sync-policy';

/** What a purged text or name reads as. */
export const PURGED = '(purged)';

/** Which kinds of personal data are past retention for one row. */
export interface PurgeKinds {
  /** What people wrote: notes, resolve notes, hand-off notes and reasons. */
  texts: boolean;
  /** Who people are: names, e-mails, chat ids. */
  names: boolean;
}

const PERSON_ID = /^(slack|teams):/;

/** Whether an actor id names a person (a chat user) rather than a job, the CLI, the API or monitoring. */
export const isPersonId = (actor: string): boolean => PERSON_ID.test(actor);

/**
 * A person's chat id without the person: `slack:U0123` → `slack:(purged)`. The platform stays, so a
 * report can still say an action came from chat; other actors stay as they are.
 */
export function pseudonymActor(actor: string): string {
  const m = PERSON_ID.exec(actor);
  return m ? `${m[1]}:${PURGED}` : actor;
}

/** How a timeline entry's texts are purged: its data fields, and what its `reason` becomes. */
interface TextRule {
  fields: readonly string[];
  /** `keep`: the reason is ours (not what someone wrote); else the reason after the purge. */
  reason: 'keep' | ((data: Record<string, unknown>) => string);
  /** Lists of people's names besides `name` (escalation steps), and the reason once they are purged. */
  names?: { fields: readonly string[]; reason: (data: Record<string, unknown>) => string };
}

const KEEP: TextRule = { fields: [], reason: 'keep' };
const purgedNote: TextRule = { fields: ['note'], reason: () => PURGED };

/**
 * Per timeline type, which of its texts someone wrote. A new type does not compile until it is
 * listed here, so nothing a person writes escapes retention unnoticed.
 */
const TEXTS: Record<TimelineEventType, TextRule> = {
  opened: KEEP,
  reopened: KEEP,
  alert_joined: KEEP,
  alert_refired: KEEP,
  alert_recovered: KEEP,
  resolving: KEEP,
  flapping: KEEP,
  annotated: KEEP,
  resolved: KEEP,
  flapping_ended: KEEP,
  acknowledged: KEEP,
  resolved_by_user: purgedNote,
  note: purgedNote,
  runbook_step_done: KEEP,
  // A shadow note's text is in `note` and its reason; the other shadow actions' reasons are ours.
  shadow_action: {
    fields: ['note'],
    reason: (d) => (d.action === 'note' ? PURGED : `shadow ${String(d.action)} (${String(d.provider)})`),
  },
  ticket_create: KEEP,
  ticket_note: KEEP,
  ticket_resolve: KEEP,
  ticket_reopen: KEEP,
  ticket_link: KEEP,
  ticket_ack: KEEP,
  ticket_comment: KEEP,
  ticket_reassign: KEEP,
  ticket_handoff_issue: KEEP,
  ticket_parked: KEEP,
  // The offer's reason quotes the situation the person wrote.
  handoff_offered: { fields: [], reason: (d) => `offered to ${String(d.to)}` },
  handoff_accepted: KEEP,
  handoff_rejected: { fields: ['reason'], reason: (d) => `${String(d.to)} rejected` },
  handoff_cancelled: KEEP,
  handoff_reminded: KEEP,
  handoff_expired: KEEP,
  handoff_escalated: KEEP,
  handoff_ping_pong: KEEP,
  // Whom an escalation step reached is a list of names; its reason repeats them.
  escalation_step: {
    fields: [],
    reason: 'keep',
    names: {
      fields: ['notified', 'missing'],
      reason: (d) => `escalation step ${Number(d.step) + 1} of ${String(d.of)} (${String(d.kind)})`,
    },
  },
  escalation_stopped: KEEP,
  ticket_sync: KEEP,
  // Sync entries name the remote person (`name`); the copied texts themselves live in the tickets.
  sync_copied: { ...KEEP, names: { fields: [], reason: (d) => `${String(d.what)} copied` } },
  sync_not_owned: {
    ...KEEP,
    names: {
      fields: [],
      reason: (d) =>
        notOwnedReason({
          system: d.system === 'jira' ? 'jira' : 'servicenow',
          field: String(d.field),
          from: typeof d.from === 'string' ? d.from : null,
          to: typeof d.to === 'string' ? d.to : null,
          name: String(d.name),
          owner: d.owner === 'jira' ? 'jira' : 'servicenow',
          reverted: d.reverted === true,
        }),
    },
  },
  sync_stale: { ...KEEP, names: { fields: [], reason: (d) => `older ${String(d.field)} change dropped` } },
  sync_assignee: {
    ...KEEP,
    names: {
      fields: ['assignee'],
      reason: (d) =>
        assigneeReason({
          system: d.system === 'jira' ? 'jira' : 'servicenow',
          assignee: typeof d.assignee === 'string' ? d.assignee : null,
          outcome: d.outcome === 'copied' || d.outcome === 'no_user' ? d.outcome : 'not_owned',
          reverted: d.reverted === true,
          name: String(d.name),
        }),
    },
  },
  sync_group_changed: {
    ...KEEP,
    names: { fields: [], reason: (d) => `assignment group changed to ${String(d.group)}` },
  },
  storm_started: KEEP,
  storm_absorbed: KEEP,
  unreadable: KEEP,
};

/** A timeline row as the purge sees it. */
export interface TimelineRowContent {
  type: string;
  actor: string;
  reason: string;
  data: Record<string, unknown>;
}

/** The fields replaced by `(purged)`; a list keeps its length, so the row still reads as its type. */
const withPurged = (data: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(
    Object.entries(data).map(([k, v]) => [
      k,
      !fields.includes(k) ? v : Array.isArray(v) ? v.map(() => PURGED) : PURGED,
    ]),
  );

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The timeline row with its personal data of the given kinds replaced by `(purged)` (names and chat
 * ids; what people wrote), keeping its shape so it still reads as its event type. Null when nothing
 * is left to purge, so a second purge changes and counts nothing.
 */
export function purgeTimelineRow(r: TimelineRowContent, kinds: PurgeKinds): TimelineRowContent | null {
  const rule: TextRule = (TEXTS as Record<string, TextRule | undefined>)[r.type] ?? KEEP;
  let { actor, reason, data } = r;
  if (kinds.names) {
    actor = pseudonymActor(actor);
    data = withPurged(data, ['name', ...(rule.names?.fields ?? [])]);
    if (rule.names) reason = rule.names.reason(data);
  }
  if (kinds.texts) {
    data = withPurged(data, rule.fields);
    if (rule.reason !== 'keep') reason = rule.reason(data);
  }
  const next = { type: r.type, actor, reason, data };
  return same(next, { type: r.type, actor: r.actor, reason: r.reason, data: r.data }) ? null : next;
}

/** An audit row's purgeable content. */
export interface AuditRowContent {
  actor: string;
  data: Record<string, unknown>;
}

const without = (data: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(data).filter(([k]) => !keys.includes(k)));

/**
 * The audit details without their personal data of the given kinds: names and e-mails removed and the
 * actor pseudonymised; notes removed, and reasons where a person (or the API on a person's behalf)
 * gave them. Null when nothing is left to purge. The chain keeps the hash of what was there.
 */
export function purgeAuditRow(r: AuditRowContent, kinds: PurgeKinds): AuditRowContent | null {
  const byPerson = isPersonId(r.actor) || r.actor === 'api';
  let { actor, data } = r;
  if (kinds.texts) data = without(data, byPerson ? ['note', 'reason'] : ['note']);
  if (kinds.names) {
    actor = pseudonymActor(actor);
    // `assignee`: the person a sync entry names besides its author (sync.assignee).
    data = without(data, ['name', 'email', 'assignee']);
  }
  const next = { actor, data };
  return same(next, { actor: r.actor, data: r.data }) ? null : next;
}

/** A closed hand-off's purgeable content. */
export interface HandoffContent {
  note: HandoffNote;
  offeredBy: string;
  decidedBy: string | null;
  reason: string | null;
}

/**
 * The hand-off with the texts of its note (and a rejection reason) replaced, and the people who
 * offered and decided pseudonymised. What stays (providers, times, impact, state) is what the SLA and
 * OLA figures need. Null when nothing is left to purge.
 */
export function purgeHandoff(h: HandoffContent, kinds: PurgeKinds): HandoffContent | null {
  const content = { note: h.note, offeredBy: h.offeredBy, decidedBy: h.decidedBy, reason: h.reason };
  let next = content;
  if (kinds.texts) {
    const { hypothesis: _hypothesis, ...kept } = h.note;
    const note = { ...kept, situation: PURGED, actionsTaken: PURGED, nextSteps: PURGED };
    next = { ...next, note, reason: h.reason === null ? null : PURGED };
  }
  if (kinds.names)
    next = {
      ...next,
      offeredBy: pseudonymActor(next.offeredBy),
      decidedBy: next.decidedBy === null ? null : pseudonymActor(next.decidedBy),
    };
  return same(next, content) ? null : next;
}

/** Who acknowledged an incident, pseudonymised; null when already so. */
export function purgeAcknowledgement(a: { by: string; name: string }): { by: string; name: string } | null {
  const next = { by: pseudonymActor(a.by), name: PURGED };
  return same(next, a) ? null : next;
}

/** A shift handover's purgeable content. */
export interface ShiftHandoverContent {
  requestedBy: string | null;
  acknowledgedBy: string | null;
  outgoing: OnCallPerson | null;
  incoming: OnCallPerson | null;
  summary: ShiftItem[];
}

/** An on-call person reduced to `(purged)`: no chat ids, e-mail or phone left. */
const purgedPerson = (p: OnCallPerson | null): OnCallPerson | null => (p ? { name: PURGED } : null);

/**
 * The shift handover with its people pseudonymised (who asked, who acknowledged, the outgoing and
 * incoming on-call, who had acknowledged each incident) and the last actions' texts purged. What
 * stays (provider, times, state, the incidents with their priority and SLA time left) is what shows
 * that the handover happened and was acknowledged in time. Null when nothing is left to purge.
 */
export function purgeShiftHandover(h: ShiftHandoverContent, kinds: PurgeKinds): ShiftHandoverContent | null {
  let next = h;
  if (kinds.names)
    next = {
      ...next,
      requestedBy: next.requestedBy === null ? null : pseudonymActor(next.requestedBy),
      // The acknowledging person is stored by name, not by chat id.
      acknowledgedBy: next.acknowledgedBy === null ? null : PURGED,
      outgoing: purgedPerson(next.outgoing),
      incoming: purgedPerson(next.incoming),
      summary: next.summary.map((i) => ({ ...i, acknowledgedBy: i.acknowledgedBy === null ? null : PURGED })),
    };
  if (kinds.texts)
    next = {
      ...next,
      summary: next.summary.map((i) => ({
        ...i,
        lastAction: i.lastAction === null ? null : { at: i.lastAction.at, what: PURGED },
      })),
    };
  return same(next, h) ? null : next;
}

/** Who stopped an escalation run (a chat id, or a job), pseudonymised; null when nothing is left to purge. */
export function purgeEscalationStop(stoppedBy: string | null): string | null {
  if (stoppedBy === null) return null;
  const next = pseudonymActor(stoppedBy);
  return next === stoppedBy ? null : next;
}

/**
 * ServiceNow states after which an incident no longer changes: Closed and Canceled. (Resolved is
 * reopened by the caller, so its snapshot is still what the next change is diffed against.)
 */
const FINAL_SERVICENOW_STATES: readonly string[] = ['7', '8'];

/**
 * The synced ServiceNow columns that hold personal data, by kind: the assignee's display name and
 * what the resolver wrote. The others (state, priority, group, close code) are what the poll still
 * needs to report a later change of a purged incident exactly.
 */
const SERVICENOW_PERSONAL_COLUMNS = { names: ['assigned_to'], texts: ['close_notes'] } as const;

/**
 * The synced columns of a closed or canceled ServiceNow incident's snapshot with the assignee's name
 * and the close notes replaced by `(purged)` (empty ones stay empty). Null for an incident still open
 * or resolved — its snapshot is the base of the next poll's diff — and when nothing is left to purge.
 */
export function purgeServiceNowSnapshot(
  fields: Readonly<Record<string, string>>,
  kinds: PurgeKinds,
): Record<string, string> | null {
  if (!FINAL_SERVICENOW_STATES.includes(fields.state ?? '')) return null;
  const columns = [
    ...(kinds.names ? SERVICENOW_PERSONAL_COLUMNS.names : []),
    ...(kinds.texts ? SERVICENOW_PERSONAL_COLUMNS.texts : []),
  ];
  const next = { ...fields };
  for (const c of columns) if (next[c]) next[c] = PURGED;
  return same(next, fields) ? null : next;
}

/**
 * Per sync field, the kind of personal data its last synced value (`sync_field_versions.value`) is:
 * the assignee by display name (ServiceNow) or account id (Jira), and what the resolver wrote. A new
 * field does not compile until it is listed here, so nothing personal escapes retention unnoticed.
 */
const SYNC_FIELD_KINDS: Record<SyncField, keyof PurgeKinds | null> = {
  state: null,
  holdReason: null,
  impact: null,
  urgency: null,
  priority: null,
  assignmentGroup: null,
  assignedTo: 'names',
  closeCode: null,
  closeNotes: 'texts',
  status: null,
  statusCategory: null,
  assignee: 'names',
  resolution: null,
};

/** The sync fields whose stored value is personal data (what the purge looks at). */
export const PERSONAL_SYNC_FIELDS: readonly SyncField[] = SyncField.options.filter(
  (f) => SYNC_FIELD_KINDS[f] !== null,
);

/**
 * The value a sync field version keeps once past retention: `(purged)` for the assignee and the close
 * notes of an incident that is Closed or Canceled in ServiceNow (`closedState`: the ServiceNow state the
 * sync last saw of it). Null when it stays: the incident can still change, the field is not personal,
 * it is empty or already purged. The update time and version stay, so an older change still never
 * overwrites a newer one.
 */
export function purgeSyncFieldVersion(
  v: { field: string; value: string | null },
  closedState: string | null,
  kinds: PurgeKinds,
): string | null {
  if (!FINAL_SERVICENOW_STATES.includes(closedState ?? '')) return null;
  const kind = (SYNC_FIELD_KINDS as Record<string, keyof PurgeKinds | null | undefined>)[v.field];
  if (!kind || !kinds[kind] || !v.value || v.value === PURGED) return null;
  return PURGED;
}
