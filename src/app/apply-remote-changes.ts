import type { SyncConfig } from '../config/sync';
import { offerHandoff } from '../core/handoff/handoff';
import type { SyncWrite } from '../core/outbox/outbox-command';
import { PURGED } from '../core/privacy/pseudonymise';
import type { Redactor } from '../core/redact/redact';
import {
  RemoteChange,
  type RemoteAttachment,
  type RemoteComment,
  type SyncField,
  type SyncSystem,
} from '../core/sync/remote-change';
import {
  assigneeReason,
  byteSize,
  contentHash,
  copiedText,
  fieldWords,
  jiraPriorityFor,
  notOwnedReason,
  ownerOf,
  plainMentions,
  safeFileName,
  statusesNamedBesides,
  SYSTEM_NAMES,
  toJiraStatus,
  toServiceNowState,
} from '../core/sync/sync-policy';
import type { TimelineEvent } from '../core/incident/timeline-event';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { IncidentRecord, Transactional, UnitOfWork } from '../ports/store';
import { enqueueChatSync, enqueueSyncWrite, type TicketingSettings } from './enqueue-ticket-commands';
import { personKey, type PeopleMatches } from './match-people';
import { recordEvent } from './record-event';

/** What the sync core needs. */
export interface SyncDeps {
  store: Transactional;
  clock: Clock;
  sync: SyncConfig;
  /** The chat lanes, so that a not-owned change shows in the incident's thread. */
  ticketing: Pick<TicketingSettings, 'chatLanes' | 'chatInterval'>;
  redactor: Redactor;
  /** ServiceNow assignment group (name or sys_id) → the provider owning it. */
  groupProviders: ReadonlyMap<string, string>;
  /** Known provider names. */
  providers: readonly string[];
  /** Jira account ids → display names, for mentions written as `[~accountid:…]`. */
  mentionNames?: ReadonlyMap<string, string>;
  logger?: Logger;
}

/** What happened to one change (tests and the webhook's answer). */
export interface AppliedChange {
  changeId: string;
  outcome: 'applied' | 'duplicate' | 'not_linked';
  /** Sync writes queued (copies and reverts). */
  queued: number;
  /** Comments and fields dropped as echoes of our own writes. */
  echoes: number;
}

const other = (s: SyncSystem): SyncSystem => (s === 'jira' ? 'servicenow' : 'jira');

/** The record a ticket is known by on a system: ServiceNow sys_id, Jira key. */
function recordOf(incident: IncidentRecord, system: SyncSystem): { record: string; key: string } | null {
  if (system === 'servicenow') {
    const t = incident.tickets.servicenow;
    return t ? { record: t.sys_id, key: t.number } : null;
  }
  const t = incident.tickets.jira;
  return t ? { record: t.key, key: t.key } : null;
}

/**
 * The RemoteChangeSink: handles each change once (system + change id, recorded in the transaction of
 * its effects), drops echoes of the bridge's own writes by the echo ledger, drops changes older than
 * what is known per field (remote update time, then version), and copies by ownership: owned changes
 * become `sync` outbox commands for the other ticket (their ledger entries in the same transaction);
 * not-owned ones go on the timeline and into the chat thread, and with `revert` are set back. Each
 * change is its own transaction; the promise resolves once all are committed.
 */
export async function applyRemoteChanges(
  deps: SyncDeps,
  changes: readonly RemoteChange[],
  /** The people of assignee changes, looked up beforehand (`matchPeople`); none: assignees are not copied. */
  people: PeopleMatches = new Map(),
): Promise<AppliedChange[]> {
  const results: AppliedChange[] = [];
  for (const raw of changes) {
    const change = RemoteChange.parse(raw);
    results.push(await deps.store.unitOfWork((uow) => applyOne(deps, uow, change, people)));
  }
  return results;
}

/** The state of one change being applied: what it queued and whether the thread must be redrawn. */
interface Work {
  deps: SyncDeps;
  uow: UnitOfWork;
  change: RemoteChange;
  incident: IncidentRecord;
  now: string;
  queued: number;
  echoes: number;
  redraw: boolean;
  people: PeopleMatches;
}

async function applyOne(
  deps: SyncDeps,
  uow: UnitOfWork,
  change: RemoteChange,
  people: PeopleMatches,
): Promise<AppliedChange> {
  const now = deps.clock.now().toISOString();
  const base = { changeId: change.changeId, queued: 0, echoes: 0 };
  const fresh = await uow.sync.markProcessed({
    system: change.system,
    changeId: change.changeId,
    record: change.record,
    at: now,
  });
  // The sweep reports a Jira changelog entry under its own change id: the entry's id is the same.
  const entry =
    change.system === 'jira' && change.version !== undefined
      ? await uow.sync.markProcessed({
          ...key(change),
          changeId: `changelog:${change.record}:${change.version}`,
          at: now,
        })
      : true;
  if (!fresh || !entry) return { ...base, outcome: 'duplicate' };
  const incident = await uow.sync.incidentFor(change.system, change.record);
  if (!incident) {
    deps.logger?.debug('sync: change on a record without an incident', {
      system: change.system,
      record: change.record,
    });
    return { ...base, outcome: 'not_linked' };
  }
  const w: Work = { deps, uow, change, incident, now, queued: 0, echoes: 0, redraw: false, people };
  const used = await applyFields(w);
  for (const id of used)
    await uow.sync.markProcessed({ ...key(change), changeId: commentKey(change, id), at: now });
  for (const c of change.comments) if (!used.has(c.id)) await applyComment(w, c);
  for (const a of change.attachments) await applyAttachment(w, a);
  if (w.redraw) await enqueueChatSync(uow, deps.ticketing, incident.id, now, 0);
  return { ...base, outcome: 'applied', queued: w.queued, echoes: w.echoes };
}

const key = (c: RemoteChange) => ({ system: c.system, record: c.record });
/** A comment is handled once whichever change reports it (webhook, sweep, poll); ids are per record. */
const commentKey = (c: RemoteChange, id: string) => commentRecordKey(c.record, id);
/** The handled-once key of a comment of a record (the drift repair marks it too). */
export const commentRecordKey = (record: string, id: string) => `comment:${record}:${id}`;
/** An attachment is handled once whichever change reports it (webhook, sweep, poll, drift repair). */
export const attachmentKey = (record: string, id: string) => `attachment:${record}:${id}`;

type SyncEvent = Extract<TimelineEvent, { type: `sync_${string}` }> & { reason: string };

/** A timeline entry with its audit record; the chat thread is redrawn at the end of the change. */
async function event(w: Work, e: SyncEvent): Promise<void> {
  const c = w.change;
  await recordEvent(w.uow, {
    ...e,
    incidentId: w.incident.id,
    at: w.now,
    actor: `${c.system}:${c.actor.id}`,
    action: `sync.${e.type.slice('sync_'.length)}`,
    audit: { record: c.record, changeId: c.changeId, ...e.data },
  });
  w.redraw = true;
}

/**
 * Queues one sync write on `system`'s ticket, with its echo ledger entries (what will come back from that
 * system when the write is made) in the same transaction. A lifecycle write's entry is the one
 * `lifecycleEcho` derives from it (the same one `supersedeQueuedLifecycle` uses up); other writes name
 * theirs.
 */
async function queueWrite(
  w: Work,
  system: SyncSystem,
  write: SyncWrite,
  ledger: { item: string; content: string }[] = [lifecycleEcho(write)].filter((e) => e !== null),
): Promise<boolean> {
  const target = recordOf(w.incident, system);
  if (!target) return false;
  await enqueueSyncWrite(w.uow, {
    incidentId: w.incident.id,
    lane: system,
    payload: { write, changedAt: w.change.updatedAt },
    now: w.now,
  });
  for (const l of ledger)
    await w.uow.sync.recordEcho({
      system,
      record: target.record,
      item: l.item,
      contentHash: contentHash(l.content),
      commandId: null,
      createdAt: w.now,
    });
  w.queued += 1;
  return true;
}

/** What a queued lifecycle write on its target will report back, as its echo entry says it. */
function lifecycleEcho(write: SyncWrite): { item: string; content: string } | null {
  if (write.type === 'transition')
    return write.status !== null
      ? { item: 'status', content: write.status }
      : { item: 'statusCategory', content: write.category ?? '' };
  return write.type === 'state' ? { item: 'state', content: write.state } : null;
}

/**
 * A person's lifecycle change on `system` overtakes the bridge's lifecycle writes to that system that
 * are queued and not yet started: they carry an older change from the other side (ServiceNow On Hold
 * on its way while the engineer sets Jira to Done), and run after it they would undo the newer one.
 * Each is dropped, its echo entry used up, and the timeline says so. A write already in flight still
 * runs; what it leaves behind is what the drift check reports.
 */
async function supersedeQueuedLifecycle(w: Work, system: SyncSystem): Promise<void> {
  const target = recordOf(w.incident, system);
  if (!target) return;
  for (const cmd of await w.uow.outbox.pendingAll(w.incident.id, system, 'sync')) {
    if (cmd.kind !== 'sync') continue;
    const echo = lifecycleEcho(cmd.payload.write);
    // A late report of an older change (a poll after a push) does not overtake a newer copy.
    if (!echo || (cmd.payload.changedAt !== undefined && cmd.payload.changedAt >= w.change.updatedAt))
      continue;
    const what = `${SYSTEM_NAMES[system]} ${echo.item === 'state' ? 'state' : 'status'} ${echo.content}`;
    const reason = `queued ${what} not written: ${w.change.actor.name} changed ${target.key} in ${SYSTEM_NAMES[system]} after it (${w.change.updatedAt})`;
    await w.uow.outbox.update(cmd.id, {
      state: 'done',
      lastError: `superseded: ${reason}`,
      updatedAt: w.now,
    });
    await w.uow.sync.matchEcho({
      system,
      record: target.record,
      item: echo.item,
      contentHash: contentHash(echo.content),
      remoteId: `superseded:${cmd.id}`,
      at: w.now,
    });
    await event(w, {
      type: 'sync_stale',
      data: { system, field: echo.item, name: w.change.actor.name },
      reason,
    });
  }
}

async function applyComment(w: Work, c: RemoteComment): Promise<void> {
  const { change, uow, now } = w;
  if (!(await uow.sync.markProcessed({ ...key(change), changeId: commentKey(change, c.id), at: now })))
    return;
  const echo = await uow.sync.matchEcho({
    ...key(change),
    item: 'comment',
    contentHash: contentHash(c.body),
    remoteId: c.id,
    at: now,
  });
  // The ledger knows what the sync wrote; the integration account also writes notes of its own.
  if (echo || change.actor.integration) {
    w.echoes += 1;
    return;
  }
  const target = other(change.system);
  const here = recordOf(w.incident, change.system);
  const fromJira = change.system === 'jira';
  // With Jira Service Management both sides tell internal from customer-visible, and that is kept;
  // otherwise every Jira comment lands where `comments.jiraTo` says.
  const visibility: 'internal' | 'customer' =
    !fromJira || w.deps.sync.jira.serviceManagement
      ? c.visibility
      : w.deps.sync.comments.jiraTo === 'comments'
        ? 'customer'
        : 'internal';
  const kind = fromJira ? 'comment' : c.visibility === 'customer' ? 'customer comment' : 'work note';
  const text = w.deps.redactor.text(
    copiedText({
      from: change.system,
      author: change.actor.name,
      where: here?.key ?? change.record,
      kind,
      body: plainMentions(c.body, w.deps.mentionNames),
    }),
  );
  const queued = await queueWrite(w, target, { type: 'comment', text, visibility }, [
    { item: 'comment', content: text },
  ]);
  if (!queued) return;
  await event(w, {
    type: 'sync_copied',
    data: { system: change.system, what: `${SYSTEM_NAMES[change.system]} ${kind}`, name: change.actor.name },
    reason: `${SYSTEM_NAMES[change.system]} ${kind} by ${change.actor.name} copied to ${SYSTEM_NAMES[target]}`,
  });
}

/**
 * A new attachment: handled once by its id; dropped as an echo when the ledger knows a copy of that
 * name on this record (or the integration account attached it); refused with a timeline entry above
 * `sync.attachments.maxBytes` when its size is known here (else the copy checks); otherwise an
 * `attachment` sync command for the other ticket, its ledger entry in the same transaction.
 */
async function applyAttachment(w: Work, a: RemoteAttachment): Promise<void> {
  const { change, uow, now } = w;
  if (
    !(await uow.sync.markProcessed({ ...key(change), changeId: attachmentKey(change.record, a.id), at: now }))
  )
    return;
  const fileName = safeFileName(a.fileName);
  const echo = await uow.sync.matchEcho({
    ...key(change),
    item: 'attachment',
    contentHash: contentHash(fileName),
    remoteId: a.id,
    at: now,
  });
  if (echo || change.actor.integration) {
    w.echoes += 1;
    return;
  }
  const from = SYSTEM_NAMES[change.system];
  const by = change.actor.name;
  const max = w.deps.sync.attachments.maxBytes;
  if (a.sizeBytes !== null && a.sizeBytes > max) {
    await event(w, {
      type: 'sync_copied',
      data: { system: change.system, what: `attachment ${fileName} (not copied)`, name: by },
      reason: `attachment ${fileName} ${byteSize(a.sizeBytes)} not copied: over the ${byteSize(max)} limit (${from}, by ${by})`,
    });
    return;
  }
  const target = other(change.system);
  const write: SyncWrite = {
    type: 'attachment',
    from: change.system,
    id: a.id,
    fileName,
    contentType: a.contentType,
    sizeBytes: a.sizeBytes,
    maxBytes: max,
    author: by,
  };
  if (!(await queueWrite(w, target, write, [{ item: 'attachment', content: fileName }]))) return;
  await event(w, {
    type: 'sync_copied',
    data: { system: change.system, what: `${from} attachment ${fileName}`, name: by },
    reason: `${from} attachment ${fileName} by ${by} queued for ${SYSTEM_NAMES[target]}`,
  });
}

/** The field changes of one change; returns the comment ids used up as close notes. */
async function applyFields(w: Work): Promise<Set<string>> {
  const used = new Set<string>();
  const { change, uow, now } = w;
  const byField = new Map(change.fields.map((f) => [f.field, f]));
  for (const f of change.fields) {
    const known = await uow.sync.fieldVersion(change.system, change.record, f.field);
    const version = { value: f.to, updatedAt: change.updatedAt, version: change.version ?? null };
    if (known && order(change, known) < 0) {
      await event(w, {
        type: 'sync_stale',
        data: { system: change.system, field: f.field, name: change.actor.name },
        reason: `older ${SYSTEM_NAMES[change.system]} ${fieldWords(f.field)} change (${change.updatedAt}) dropped: ${known.updatedAt} is newer`,
      });
      continue;
    }
    // Purged by retention (a closed incident's assignee or close notes): the value it had is gone, so a
    // change not newer than it is the one already handled, read again (the sweep's changelog), and
    // must not be copied or set back a second time; only a later change is a change.
    if (known?.value === PURGED && order(change, known) <= 0) continue;
    await uow.sync.setFieldVersion(change.system, change.record, f.field, version);
    if (known?.value === f.to) continue;
    const echo = await uow.sync.matchEcho({
      ...key(change),
      item: f.field,
      contentHash: contentHash(f.to ?? ''),
      remoteId: null,
      at: now,
    });
    if (echo || change.actor.integration) {
      w.echoes += 1;
      continue;
    }
    // A status comes with its category (Jira) in the same change; the pair is handled once, by status.
    if (f.field === 'statusCategory' && byField.has('status')) continue;
    const owner = ownerOf(w.deps.sync, f.field);
    if (f.field === 'assignee' || f.field === 'assignedTo') {
      await assigneeChanged(w, f, owner);
      continue;
    }
    if (owner !== change.system) {
      await notOwned(w, f.field, f.from, f.to, owner);
      continue;
    }
    await copyOwned(w, f.field, f.to, byField, used);
  }
  return used;
}

/**
 * How a change compares with what is known: by the remote's update time, at the same time by version
 * where both have one (negative: older, 0: the same as far as can be told, positive: newer).
 */
function order(c: RemoteChange, known: { updatedAt: string; version: number | null }): number {
  const a = Date.parse(c.updatedAt);
  const b = Date.parse(known.updatedAt);
  if (a !== b) return a - b;
  return c.version !== undefined && known.version !== null ? c.version - known.version : 0;
}

/** A change where the field is not owned: timeline and chat, and with `revert` the old value back. */
async function notOwned(
  w: Work,
  field: SyncField,
  from: string | null,
  to: string | null,
  owner: SyncSystem,
): Promise<void> {
  const { change } = w;
  let reverted = false;
  if (w.deps.sync.revert && from !== null) {
    const write: SyncWrite =
      field === 'status'
        ? { type: 'transition', status: from, category: null }
        : { type: 'field', field, value: from };
    reverted = await queueWrite(w, change.system, write, [{ item: field, content: from }]);
  }
  const data = { system: change.system, field, from, to, name: change.actor.name, owner, reverted };
  await event(w, { type: 'sync_not_owned', data, reason: notOwnedReason(data) });
}

/** An owned change copied to the other system through the mapping tables. */
async function copyOwned(
  w: Work,
  field: SyncField,
  to: string | null,
  byField: ReadonlyMap<SyncField, { to: string | null }>,
  used: Set<string>,
): Promise<void> {
  const { change, deps } = w;
  const cfg = deps.sync;
  const by = change.actor.name;
  if (change.system === 'jira' && (field === 'status' || field === 'statusCategory')) {
    await supersedeQueuedLifecycle(w, 'jira');
    const status = byField.get('status')?.to ?? null;
    const category = byField.get('statusCategory')?.to ?? null;
    const row = toServiceNowState(cfg.toServiceNow, status, category);
    if (!row) return;
    const resolving = row.state === '6';
    // The resolution comment (added with the transition) becomes the close notes, not a work note too.
    const comment = resolving ? change.comments.at(-1) : undefined;
    if (comment) used.add(comment.id);
    const notes = resolving
      ? deps.redactor.text(
          copiedText({
            from: 'jira',
            author: by,
            where: change.record,
            kind: 'resolution',
            body: comment ? plainMentions(comment.body, deps.mentionNames) : `${status ?? 'Done'} in Jira`,
          }),
        )
      : null;
    const write: SyncWrite = {
      type: 'state',
      state: row.state,
      holdReason: row.holdReason ?? null,
      closeCode: resolving ? cfg.closeCode : null,
      closeNotes: notes,
    };
    if (await queueWrite(w, 'servicenow', write))
      await copied(w, `Jira status ${status ?? category ?? ''}`, `ServiceNow state ${row.state}`);
    return;
  }
  if (change.system === 'servicenow' && (field === 'state' || field === 'holdReason')) {
    if (field === 'holdReason' && byField.has('state')) return;
    await supersedeQueuedLifecycle(w, 'servicenow');
    const state =
      byField.get('state')?.to ??
      (await w.uow.sync.fieldVersion('servicenow', change.record, 'state'))?.value ??
      null;
    if (state === null) return;
    const holdReason =
      byField.get('holdReason')?.to ??
      (await w.uow.sync.fieldVersion('servicenow', change.record, 'holdReason'))?.value ??
      null;
    const row = toJiraStatus(cfg.toJira, state, holdReason);
    if (!row) return;
    const besides = statusesNamedBesides(cfg.toJira, row);
    const write: SyncWrite = {
      type: 'transition',
      status: row.status ?? null,
      category: row.status === undefined ? (row.category ?? null) : null,
      ...(besides.length > 0 ? { besides } : {}),
    };
    if (await queueWrite(w, 'jira', write))
      await copied(w, `ServiceNow state ${state}`, `Jira ${row.status ?? `${row.category} status`}`);
    return;
  }
  if (change.system === 'servicenow' && field === 'priority' && to !== null) {
    const name = jiraPriorityFor(cfg, to);
    if (
      name &&
      (await queueWrite(w, 'jira', { type: 'field', field: 'priority', value: name }, [
        { item: 'priority', content: name },
      ]))
    )
      await copied(w, `ServiceNow priority ${to}`, `Jira priority ${name}`);
    return;
  }
  if (change.system === 'servicenow' && field === 'assignmentGroup' && !change.actor.integration) {
    await groupChanged(w, to);
  }
  // Impact and urgency have no Jira field (the priority that follows them is copied).
}

/**
 * An assignee change: where the system it was made in owns the assignee, the matched person (or
 * nobody: unassigned) is written to the other ticket; a person without a match there is named on the
 * timeline, never replaced by a wrong one. Where it does not own it: timeline and chat, and with
 * `revert` the previous assignee back.
 */
async function assigneeChanged(
  w: Work,
  f: { field: SyncField; from: string | null; to: string | null },
  owner: SyncSystem,
): Promise<void> {
  const { change } = w;
  const match = (v: string | null) => (v === null ? undefined : w.people.get(personKey(change.system, v)));
  const nameOf = (v: string | null) => (v === null ? null : (match(v)?.name ?? v));
  const data = { system: change.system, assignee: nameOf(f.to), reverted: false, name: change.actor.name };
  if (owner !== change.system) {
    if (w.deps.sync.revert && f.from !== null)
      data.reverted = await queueWrite(w, change.system, { type: 'field', field: f.field, value: f.from }, [
        { item: f.field, content: f.from },
      ]);
    const d = { ...data, outcome: 'not_owned' as const };
    await event(w, { type: 'sync_assignee', data: d, reason: assigneeReason(d) });
    return;
  }
  const target = other(change.system);
  const person = f.to === null ? null : (match(f.to)?.other ?? undefined);
  if (person === undefined) {
    const d = { ...data, outcome: 'no_user' as const };
    await event(w, { type: 'sync_assignee', data: d, reason: assigneeReason(d) });
    return;
  }
  // What the other system's reader reports back: ServiceNow's reader resolves assigned_to to the name.
  const field: SyncField = target === 'servicenow' ? 'assignedTo' : 'assignee';
  const echo = person === null ? '' : target === 'servicenow' ? person.name : person.id;
  if (
    await queueWrite(w, target, { type: 'field', field, value: person?.id ?? null }, [
      { item: field, content: echo },
    ])
  ) {
    const d = { ...data, outcome: 'copied' as const };
    await event(w, { type: 'sync_assignee', data: d, reason: assigneeReason(d) });
  }
}

async function copied(w: Work, what: string, into: string): Promise<void> {
  const c = w.change;
  await event(w, {
    type: 'sync_copied',
    data: { system: c.system, what, name: c.actor.name },
    reason: `${what} by ${c.actor.name} copied: ${into}`,
  });
}

/**
 * A person moved the ServiceNow incident to another assignment group: an accepted hand-off to the
 * provider owning that group (the incident's owner changes), else a timeline entry.
 */
async function groupChanged(w: Work, group: string | null): Promise<void> {
  const { uow, incident, now, change, deps } = w;
  const provider = group === null ? undefined : deps.groupProviders.get(group);
  const name = change.actor.name;
  const offer =
    provider === undefined
      ? null
      : offerHandoff({
          incident: { id: incident.id, owner: incident.provider, priority: incident.priority },
          to: provider,
          providers: deps.providers,
          note: {
            situation: `ServiceNow assignment group changed to ${group ?? ''} by ${name}.`,
            actionsTaken: 'Reassigned in ServiceNow.',
            nextSteps: `${provider} takes over.`,
          },
          by: `servicenow:${change.actor.id}`,
          at: now,
          existing: await uow.handoffs.ofIncident(incident.id),
        });
  if (!offer?.ok) {
    await event(w, {
      type: 'sync_group_changed',
      data: { group, provider: provider ?? null, name },
      reason: `ServiceNow assignment group changed to ${group ?? '(none)'} by ${name}${provider === undefined ? ' (no provider owns it)' : offer ? ` (${offer.message})` : ''}`,
    });
    return;
  }
  const h = await uow.handoffs.insert({
    ...offer.handoff,
    state: 'accepted',
    decidedAt: now,
    decidedBy: `servicenow:${change.actor.id}`,
  });
  await uow.incidents.update(incident.id, { provider: h.to, updatedAt: now });
  await recordEvent(uow, {
    incidentId: incident.id,
    at: now,
    actor: `servicenow:${change.actor.id}`,
    type: 'handoff_accepted',
    data: { handoffId: h.id, from: h.from, to: h.to },
    reason: `${h.to} took over from ${h.from} (ServiceNow assignment group changed by ${name})`,
    audit: { handoffId: h.id, from: h.from, to: h.to, name, via: 'servicenow' },
  });
  await event(w, {
    type: 'sync_group_changed',
    data: { group, provider: h.to, name },
    reason: `ServiceNow assignment group changed to ${group ?? ''} by ${name}: hand-off to ${h.to} accepted`,
  });
}
