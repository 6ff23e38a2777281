import type { TicketCommand } from '../core/outbox/outbox-command';
import type { ChatLane, Lane, TicketLane, UnitOfWork } from '../ports/store';
import { currentRequestId } from './request-context';

/** Outbox settings the correlation and chat use-cases need. */
export interface TicketingSettings {
  /** Remote systems that get tickets (both by default; sandboxes when not configured). */
  lanes: TicketLane[];
  /** Chat platforms whose incident message follows every change (empty: no chat). */
  chatLanes?: ChatLane[];
  /** Delay before creating tickets for a new incident, so the first wave of a group lands in the ticket. */
  groupWait: number;
  /** At most one work note/comment per incident per this many seconds, summarising what changed. */
  noteInterval: number;
  /** At most one chat message update per incident per this many seconds (changes coalesce). */
  chatInterval?: number;
}

const plus = (now: string, seconds: number) => new Date(Date.parse(now) + seconds * 1000).toISOString();

/**
 * When the chat message shows the change: `now` for what people do and for a new incident, `coalesced`
 * (at most one redraw per `chatInterval`) for monitoring churn.
 */
export type ChatRedraw = 'now' | 'coalesced';

/**
 * Commands run in order per incident and lane, so a coalesced note waiting out its interval would hold
 * back whatever is queued after it (the resolve up to a minute after the grace). A resolve or reopen
 * absorbs the waiting note (its `since` moves into the command, whose text then carries the summary);
 * any other command makes the note due now, so it goes out right before. Returns the command to queue.
 */
export async function unblockNote<C extends TicketCommand>(
  uow: Pick<UnitOfWork, 'outbox'>,
  o: { incidentId: number; lane: Lane; command: C; now: string },
): Promise<C> {
  const { command, now } = o;
  if (command.kind === 'note') return command;
  const note = await uow.outbox.pending(o.incidentId, o.lane, 'note');
  if (!note || note.kind !== 'note' || note.notBefore <= now) return command;
  if (command.kind === 'resolve' || command.kind === 'reopen') {
    await uow.outbox.update(note.id, { state: 'done', updatedAt: now });
    return { ...command, payload: { ...command.payload, since: note.payload.since } };
  }
  await uow.outbox.update(note.id, { notBefore: now, updatedAt: now });
  return command;
}

/** What a two-way sync command carries (`SyncWrite` and when the change was made). */
type SyncPayload = Extract<TicketCommand, { kind: 'sync' }>['payload'];

/**
 * Queues a two-way sync write (a person's change copied from the other system, a revert, a drift
 * repair) on a ticket lane in the caller's transaction. Like every command but a note it makes a note
 * waiting out `noteInterval` due now: otherwise the copy of a comment typed in Jira would sit behind
 * the incident's coalesced monitoring note for up to that interval (a minute by default).
 */
export async function enqueueSyncWrite(
  uow: Pick<UnitOfWork, 'outbox'>,
  o: { incidentId: number; lane: TicketLane; payload: SyncPayload; now: string },
): Promise<void> {
  const command = { kind: 'sync', payload: o.payload } as const;
  await unblockNote(uow, { incidentId: o.incidentId, lane: o.lane, command, now: o.now });
  await uow.outbox.enqueue({
    incidentId: o.incidentId,
    lane: o.lane,
    ...command,
    notBefore: o.now,
    at: o.now,
    requestId: currentRequestId(),
  });
}

/**
 * Queues the remote effects of an incident change in the caller's transaction: the ticket command on
 * every ticket lane and one coalesced chat update per chat platform (the first one posts the message).
 * Notes are coalesced: a pending note absorbs later changes (it summarises the timeline since its
 * `since` when it runs), and never holds back a later command (`unblockNote`).
 */
export async function enqueueTicketCommands(
  uow: Pick<UnitOfWork, 'outbox'>,
  s: TicketingSettings,
  o: { incidentId: number; command: TicketCommand; now: string; chat: ChatRedraw },
): Promise<void> {
  const { incidentId, command, now } = o;
  for (const lane of s.lanes) {
    if (command.kind === 'note' && (await uow.outbox.hasPending(incidentId, lane, 'note'))) continue;
    const delay = command.kind === 'note' ? s.noteInterval : command.kind === 'create' ? s.groupWait : 0;
    const queued = await unblockNote(uow, { incidentId, lane, command, now });
    await uow.outbox.enqueue({
      incidentId,
      lane,
      ...queued,
      notBefore: plus(now, delay),
      at: now,
      requestId: currentRequestId(),
    });
  }
  await enqueueChatSync(uow, s, incidentId, now, o.chat === 'now' ? 0 : undefined);
}

/** A coalesced note summarising what happens from `now` on. */
export const noteCommand = (now: string): TicketCommand => ({ kind: 'note', payload: { since: now } });

/** One pending chat update per incident and platform; it redraws the message from the current state. */
export async function enqueueChatSync(
  uow: Pick<UnitOfWork, 'outbox'>,
  s: Pick<TicketingSettings, 'chatLanes' | 'chatInterval'>,
  incidentId: number,
  now: string,
  delaySeconds = s.chatInterval ?? 0,
): Promise<void> {
  for (const lane of s.chatLanes ?? []) {
    if (await uow.outbox.hasPending(incidentId, lane, 'chat_sync')) continue;
    await uow.outbox.enqueue({
      incidentId,
      lane,
      kind: 'chat_sync',
      payload: {},
      notBefore: plus(now, delaySeconds),
      at: now,
      requestId: currentRequestId(),
    });
  }
}

/**
 * Posts or redraws a hand-off's offer in the receiving provider's channel on every chat platform. Not
 * coalesced: each run redraws from the current state, and hand-off changes are few.
 */
export async function enqueueHandoffSync(
  uow: Pick<UnitOfWork, 'outbox'>,
  s: Pick<TicketingSettings, 'chatLanes'>,
  h: { id: number; incidentId: number },
  now: string,
): Promise<void> {
  for (const lane of s.chatLanes ?? [])
    await uow.outbox.enqueue({
      incidentId: h.incidentId,
      lane,
      kind: 'handoff_sync',
      payload: { handoffId: h.id },
      notBefore: now,
      at: now,
      requestId: currentRequestId(),
    });
}
