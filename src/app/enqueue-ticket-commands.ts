import type { ChatLane, CommandKind, TicketLane, UnitOfWork } from '../ports/store';

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
 * Queues the remote effects of an incident change in the caller's transaction. Notes are coalesced: a
 * pending note absorbs later changes (it summarises the timeline since `since` when it runs). Every
 * change also queues one coalesced chat update per chat platform (the first one posts the message).
 */
export async function enqueueTicketCommands(
  uow: UnitOfWork,
  s: TicketingSettings,
  incidentId: number,
  kind: CommandKind,
  now: string,
  payload: Record<string, unknown> = {},
): Promise<void> {
  for (const lane of s.lanes) {
    if (kind === 'note') {
      if (await uow.hasPending(incidentId, lane, 'note')) continue;
      await uow.enqueue({
        incidentId,
        lane,
        kind,
        payload: { since: now },
        notBefore: plus(now, s.noteInterval),
        at: now,
      });
    } else {
      await uow.enqueue({
        incidentId,
        lane,
        kind,
        payload,
        notBefore: kind === 'create' ? plus(now, s.groupWait) : now,
        at: now,
      });
    }
  }
  // A new incident and what people do in chat show at once; monitoring churn coalesces.
  const immediate = kind === 'create' || kind === 'ack' || kind === 'comment' || 'notes' in payload;
  await enqueueChatSync(uow, s, incidentId, now, immediate ? 0 : undefined);
}

/** One pending chat update per incident and platform; it redraws the message from the current state. */
export async function enqueueChatSync(
  uow: UnitOfWork,
  s: Pick<TicketingSettings, 'chatLanes' | 'chatInterval'>,
  incidentId: number,
  now: string,
  delaySeconds = s.chatInterval ?? 0,
): Promise<void> {
  for (const lane of s.chatLanes ?? []) {
    if (await uow.hasPending(incidentId, lane, 'chat_sync')) continue;
    await uow.enqueue({
      incidentId,
      lane,
      kind: 'chat_sync',
      payload: {},
      notBefore: plus(now, delaySeconds),
      at: now,
    });
  }
}
