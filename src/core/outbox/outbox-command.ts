import { z } from 'zod';
import { firstIssue } from '../first-issue';
import { SyncField, SyncSystem } from '../sync/remote-change';

/**
 * What the outbox can be asked to do on a remote system, one variant per `kind` with its payload. The
 * store keeps `kind` and `payload` as columns and parses them back with these schemas; runners switch
 * over `kind` exhaustively, so a new command does not compile until every lane that can run it does.
 */
const command = <K extends string, P extends z.ZodType>(kind: K, payload: P) =>
  z.object({ kind: z.literal(kind), payload });
const none = z.object({});

/** Remote systems with an outbox lane: the two ticket systems, the two chat platforms and paging. */
export const TicketLane = z.enum(['servicenow', 'jira']);
export type TicketLane = z.infer<typeof TicketLane>;
export const ChatLane = z.enum(['slack', 'teams']);
export type ChatLane = z.infer<typeof ChatLane>;
/** Paging webhooks (PagerDuty Events API v2 or generic JSON), so that a phone can ring. */
export const PagingLane = z.enum(['paging']);
export type PagingLane = z.infer<typeof PagingLane>;
export type Lane = TicketLane | ChatLane | PagingLane;
export const TICKET_LANES: readonly TicketLane[] = TicketLane.options;
export const isTicketLane = (l: string): l is TicketLane => TicketLane.safeParse(l).success;
export const isChatLane = (l: string): l is ChatLane => ChatLane.safeParse(l).success;
export const isPagingLane = (l: string): l is PagingLane => PagingLane.safeParse(l).success;
/** Every lane, ticket systems first. */
export const LANES: readonly Lane[] = [...TicketLane.options, ...ChatLane.options, ...PagingLane.options];

/**
 * One write of the two-way sync (issue 11), its text already redacted and headed (who wrote it, where),
 * exactly as the echo ledger hashed it: the runner sends it unchanged.
 */
export const SyncWrite = z.discriminatedUnion('type', [
  /** ServiceNow: `work_notes` (internal) or `comments` (customer); Jira: a comment. */
  z.object({ type: z.literal('comment'), text: z.string(), visibility: z.enum(['internal', 'customer']) }),
  /** ServiceNow lifecycle: state, hold reason, close code and notes (Resolved). */
  z.object({
    type: z.literal('state'),
    state: z.string(),
    holdReason: z.string().nullable(),
    closeCode: z.string().nullable(),
    closeNotes: z.string().nullable(),
  }),
  /** Jira: the transition into this status (by name) or the first one into this category. */
  z.object({
    type: z.literal('transition'),
    status: z.string().nullable(),
    category: z.enum(['new', 'indeterminate', 'done']).nullable(),
    /** With `category`: statuses of that category that do not count (other mapping rows name them). */
    besides: z.array(z.string()).optional(),
  }),
  /** One field set to a value: a copied owned value, or a revert of a not-owned change. */
  z.object({ type: z.literal('field'), field: SyncField, value: z.string().nullable() }),
  /**
   * An attachment copied from the other system: the runner downloads it there (never more than
   * `maxBytes`), skips content the target already has (SHA-256) and uploads it under `fileName`.
   */
  z.object({
    type: z.literal('attachment'),
    from: SyncSystem,
    /** The attachment's id on `from`. */
    id: z.string(),
    /** Already sanitised: no path, no control characters. */
    fileName: z.string(),
    contentType: z.string(),
    /** As the source reported it; null when it did not (the runner asks). */
    sizeBytes: z.number().int().nonnegative().nullable(),
    maxBytes: z.number().int().positive(),
    /** Who attached it on `from`, for the timeline. */
    author: z.string(),
  }),
]);
export type SyncWrite = z.infer<typeof SyncWrite>;

/** Commands of the ticket lanes (ServiceNow, Jira). */
export const TicketCommand = z.discriminatedUnion('kind', [
  /** Open the ticket (or find the one an earlier attempt opened). */
  command('create', none),
  /** One coalesced work note summarising the timeline since `since`. */
  command('note', z.object({ since: z.string() })),
  /**
   * Resolve; `notes` are a person's words (from chat), else the recovery text is used. `since`: the
   * timeline since then is summarised in the notes (a coalesced note this command absorbed).
   */
  command('resolve', z.object({ notes: z.string().optional(), since: z.string().optional() })),
  /** Reopen; `since` as for resolve. */
  command('reopen', z.object({ since: z.string().optional() })),
  /** Cross-link the two tickets once both exist. */
  command('link', none),
  /** Someone took the incident: assign by e-mail and move to In Progress. */
  command('ack', z.object({ email: z.string().nullable(), name: z.string(), note: z.string() })),
  /** A person's note or a runbook step, as a work note / comment. */
  command('comment', z.object({ text: z.string() })),
  /** A hand-off was accepted: the ticket moves to the provider (group, person) with the hand-off note. */
  command(
    'reassign',
    z.object({
      provider: z.string(),
      email: z.string().nullable(),
      name: z.string().nullable(),
      note: z.string(),
    }),
  ),
  /**
   * Jira: the receiving provider's own issue for an accepted hand-off, linked to the original ("relates
   * to" and the remote link to ServiceNow); the original gets `comment` and the configured transition.
   */
  command(
    'handoff_issue',
    z.object({
      handoffId: z.number().int().positive(),
      provider: z.string(),
      from: z.string(),
      comment: z.string(),
    }),
  ),
  /** A change copied from the other system by the two-way sync, or a revert (`SyncWrite`). */
  command(
    'sync',
    z.object({
      write: SyncWrite,
      /** The remote's time of the change this write copies (a later person's change overtakes it). */
      changedAt: z.string().optional(),
    }),
  ),
]);
export type TicketCommand = z.infer<typeof TicketCommand>;
export type TicketCommandKind = TicketCommand['kind'];
export const TICKET_COMMAND_KINDS: readonly TicketCommandKind[] = TicketCommand.options.map(
  (o) => o.shape.kind.value,
);

/** Commands of the chat lanes (Slack, Teams). */
export const ChatCommand = z.discriminatedUnion('kind', [
  /** Post the incident message, or redraw it in place and thread the timeline since the last run. */
  command('chat_sync', none),
  /**
   * An escalation message: in the incident's thread (or the provider's channel before the incident
   * message exists) mentioning people, or a direct message to one person. `text` is already redacted.
   */
  /** A shift handover (no incident): the summary for the incoming on-call, with an Acknowledge button. */
  command(
    'shift_post',
    z.object({
      handoverId: z.number().int(),
      provider: z.string(),
      where: z.enum(['channel', 'dm']),
      /** The platform's user id of the direct message's recipient (the provider's name for `channel`). */
      to: z.string(),
      text: z.string(),
      /** Offer the Acknowledge button (not to the lead an unacknowledged handover escalates to). */
      ackButton: z.boolean(),
    }),
  ),
  /**
   * A hand-off offer in the receiving provider's channel: posted the first time (with Accept / Reject and
   * the receiving on-call mentioned), redrawn in place on every later run (decision, reminder, expiry).
   */
  command('handoff_sync', z.object({ handoffId: z.number().int().positive() })),
  command(
    'chat_notify',
    z.object({
      where: z.enum(['thread', 'dm']),
      /** The platform's user id of the direct message's recipient. */
      user: z.string().optional(),
      mentions: z.array(z.object({ id: z.string(), name: z.string() })),
      text: z.string(),
    }),
  ),
]);
export type ChatCommand = z.infer<typeof ChatCommand>;

/** Commands of the paging lane. */
export const PagingCommand = z.discriminatedUnion('kind', [
  /**
   * An event for a paging target (by its config name): trigger rings the phone; acknowledge and resolve
   * follow the incident. One dedup key per incident, so the target sees one alert, not one per step.
   */
  command(
    'page',
    z.object({
      target: z.string(),
      action: z.enum(['trigger', 'acknowledge', 'resolve']),
      summary: z.string(),
      severity: z.enum(['critical', 'error', 'warning', 'info']),
    }),
  ),
]);
export type PagingCommand = z.infer<typeof PagingCommand>;

export type CommandKind = TicketCommandKind | ChatCommand['kind'] | PagingCommand['kind'];

/** A command as stored for one lane: each family of commands on its own lanes. */
export type LaneCommand =
  | ({ lane: TicketLane } & TicketCommand)
  | ({ lane: ChatLane } & ChatCommand)
  | ({ lane: PagingLane } & PagingCommand);

/** A stored command this version cannot read: the worker parks it with `error` instead of running it. */
export interface UnreadableCommand {
  lane: string;
  kind: 'unreadable';
  payload: { storedKind: string; error: string };
}

/**
 * Parses a stored lane + kind + JSON payload. Never throws: a row that does not parse (bad JSON, a kind
 * that does not belong on its lane, a payload of the wrong shape) becomes an UnreadableCommand.
 */
export function parseLaneCommand(
  lane: string,
  kind: string,
  payload: string,
): LaneCommand | UnreadableCommand {
  const unreadable = (error: string): UnreadableCommand => ({
    lane,
    kind: 'unreadable',
    payload: { storedKind: kind, error },
  });
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return unreadable('payload is not JSON');
  }
  const family = isTicketLane(lane)
    ? TicketCommand
    : isChatLane(lane)
      ? ChatCommand
      : isPagingLane(lane)
        ? PagingCommand
        : null;
  if (family && !family.options.some((o) => o.shape.kind.value === kind))
    return unreadable(`kind "${kind}" is not a command of the ${lane} lane`);
  if (isTicketLane(lane)) {
    const parsed = TicketCommand.safeParse({ kind, payload: raw });
    return parsed.success ? { lane, ...parsed.data } : unreadable(firstIssue(parsed.error, 'kind'));
  }
  if (isChatLane(lane)) {
    const parsed = ChatCommand.safeParse({ kind, payload: raw });
    return parsed.success ? { lane, ...parsed.data } : unreadable(firstIssue(parsed.error, 'kind'));
  }
  if (isPagingLane(lane)) {
    const parsed = PagingCommand.safeParse({ kind, payload: raw });
    return parsed.success ? { lane, ...parsed.data } : unreadable(firstIssue(parsed.error, 'kind'));
  }
  return unreadable(`unknown lane "${lane}"`);
}
