import type { CommandKind, Lane, UnitOfWork } from '../ports/store';

/** Outbox settings the correlation use-cases need. */
export interface TicketingSettings {
  /** Remote systems that get tickets (both by default; sandboxes when not configured). */
  lanes: Lane[];
  /** Delay before creating tickets for a new incident, so the first wave of a group lands in the ticket. */
  groupWait: number;
  /** At most one work note/comment per incident per this many seconds, summarising what changed. */
  noteInterval: number;
}

const plus = (now: string, seconds: number) => new Date(Date.parse(now) + seconds * 1000).toISOString();

/**
 * Queues the remote effects of an incident change in the caller's transaction. Notes are coalesced: a
 * pending note absorbs later changes (it summarises the timeline since `since` when it runs).
 */
export async function enqueueTicketCommands(
  uow: UnitOfWork,
  s: TicketingSettings,
  incidentId: number,
  kind: CommandKind,
  now: string,
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
        payload: {},
        notBefore: kind === 'create' ? plus(now, s.groupWait) : now,
        at: now,
      });
    }
  }
}
