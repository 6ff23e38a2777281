import type {
  ChatLane,
  CommandKind,
  Lane,
  LaneCommand,
  PagingLane,
  TicketLane,
  UnreadableCommand,
} from '../core/outbox/outbox-command';

/** Where an outbox command is in its life, and when it may run next. */
export interface CommandMeta {
  id: number;
  incidentId: number;
  state: 'pending' | 'done' | 'parked';
  attempts: number;
  notBefore: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  /** The HTTP request that caused the command (X-Request-Id), null for timers and old rows. */
  requestId: string | null;
}
/** One outbox command: something to do on a remote system for an incident, in order per incident and lane. */
export type OutboxCommand = CommandMeta & (LaneCommand | UnreadableCommand);
/** A command of a ticket lane, as its runner sees it. */
export type TicketOutboxCommand = CommandMeta & Extract<LaneCommand, { lane: TicketLane }>;
/** A command of a chat lane, as its runner sees it. */
export type ChatOutboxCommand = CommandMeta & Extract<LaneCommand, { lane: ChatLane }>;
/** A command of the paging lane, as its runner sees it. */
export type PagingOutboxCommand = CommandMeta & Extract<LaneCommand, { lane: PagingLane }>;

/** A command to queue: what to do, for which incident, from when, and the request that caused it. */
export type NewCommand = {
  incidentId: number;
  notBefore: string;
  at: string;
  requestId?: string | null;
} & LaneCommand;

/**
 * A command one worker holds: `claim` is the claim's number (counted up at every claim), which
 * recording its outcome must present — after the lease ran out and another worker claimed it, the
 * first one's outcome is refused.
 */
export type ClaimedCommand = OutboxCommand & { claim: number };

/** Who claims, and until when the claim holds unless renewed. */
export interface Lease {
  owner: string;
  until: string;
}

/** A patch to a claimed command; `release` also gives the claim up (done, parked, or retried later). */
export type ClaimedPatch = Partial<Pick<CommandMeta, 'state' | 'attempts' | 'notBefore' | 'lastError'>> & {
  updatedAt: string;
  release?: boolean;
};

/** The transactional outbox inside a unit of work. */
export interface OutboxQueue {
  /** Queues a remote command in this transaction. */
  enqueue(cmd: NewCommand): Promise<void>;
  /**
   * A pending command of this kind, not claimed, exists for the incident and lane (used to coalesce notes
   * and chat redraws: one in flight may have read the incident before the change, so it does not count).
   */
  hasPending(incidentId: number, lane: Lane, kind: CommandKind): Promise<boolean>;
  /** The oldest pending, unclaimed command of this kind for the incident and lane (a note to absorb). */
  pending(incidentId: number, lane: Lane, kind: CommandKind): Promise<OutboxCommand | null>;
  /** Every pending, unclaimed command of this kind for the incident and lane, oldest first. */
  pendingAll(incidentId: number, lane: Lane, kind: CommandKind): Promise<OutboxCommand[]>;
  get(id: number): Promise<OutboxCommand | null>;
  update(
    id: number,
    patch: Partial<Pick<CommandMeta, 'state' | 'attempts' | 'notBefore' | 'lastError'>> & {
      updatedAt: string;
    },
  ): Promise<void>;
  /**
   * Pending commands of a lane that are due and first in line for their incident (no earlier pending or
   * parked command of the same incident and lane), oldest first.
   */
  due(lane: Lane, now: string, limit: number): Promise<OutboxCommand[]>;
  /**
   * The remote told the whole lane to wait (429/503 with Retry-After): every pending command of the lane
   * due before `until` waits until then, so the wait outlives a restart. Returns how many moved.
   */
  deferLane(lane: Lane, until: string, now: string): Promise<number>;
  /** Parked commands back to pending (after a config fix); returns how many. */
  replayParked(now: string, id?: number): Promise<number>;
  /**
   * Claims up to `limit` commands of a lane that `due` would hand out and nobody holds (no claim, or
   * its lease ran out), oldest first, for `lease.owner` until `lease.until`. On PostgreSQL the rows are
   * taken with FOR UPDATE SKIP LOCKED, so instances claiming at the same moment get different commands;
   * a command behind a claimed one of the same incident and lane is not first in line, so one command
   * per incident and lane is in flight across all instances.
   */
  claim(lane: Lane, now: string, limit: number, lease: Lease): Promise<ClaimedCommand[]>;
  /** Extends the owner's claims on these commands (the heartbeat); returns how many it still holds. */
  renew(ids: number[], lease: Lease): Promise<number>;
  /**
   * Gives up every claim held under this owner name, at a worker's start: with SQLite (one instance,
   * one owner name) they are a killed predecessor's, and need not wait out their lease.
   */
  releaseHeldBy(owner: string): Promise<number>;
  /**
   * Writes the patch only while `claim` is the command's current claim and it is still pending;
   * false (nothing written) when the claim was lost.
   */
  updateClaimed(id: number, claim: number, patch: ClaimedPatch): Promise<boolean>;
}

/** How many commands wait or are parked, and since when the oldest pending one waits. */
export interface OutboxStats {
  pending: number;
  parked: number;
  oldestPendingAt: string | null;
}

/** The outbox as /readyz, metrics and the incident API read it. */
export interface OutboxReads {
  stats(): Promise<OutboxStats>;
  /** The same per lane (only lanes that have commands), for the per-lane gauges of /metrics. */
  statsByLane(): Promise<(OutboxStats & { lane: string })[]>;
  /** Commands of one incident, oldest first. */
  of(incidentId: number): Promise<OutboxCommand[]>;
}
