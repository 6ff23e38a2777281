import { BridgeError } from '../errors';
import type { ChatMessageState, IncidentRecord, OutboxCommand } from '../ports/store';
import type { TicketRef } from '../ports/ticket-system';
import type { ChatMessageRef } from '../ports/chat';

/** What a successful command changes locally; written in one transaction by the worker. */
export interface CommandOutcome {
  summary: string;
  /** The ticket now linked to the incident for this lane (create), or null to unlink (closed → replace). */
  ticket?: TicketRef | null;
  /** Queue a fresh create on this lane (the old ServiceNow incident was Closed). */
  recreate?: boolean;
  /** Chat lanes: where the incident message now is. */
  chat?: ChatMessageState;
  /** Chat lanes in transition mode: where the shadow provider's copy now is. */
  shadowChat?: ChatMessageState;
  /** Chat lanes: where a hand-off's offer was posted in the receiving provider's channel. */
  offer?: { handoffId: number; ref: ChatMessageRef };
}

/**
 * Runs one command of one lane against its remote system. `incident` is null for a command that belongs
 * to no incident (stored with incident id 0, e.g. a shift handover message).
 */
export type LaneRunner = (cmd: OutboxCommand, incident: IncidentRecord | null) => Promise<CommandOutcome>;

/** Where a hand-off's offer message is kept in the incident's chat state (`IncidentChat.offers`). */
export const offerKey = (lane: string, handoffId: number) => `${lane}:${handoffId}`;

/** The incident id of commands that belong to no incident. */
export const NO_INCIDENT = 0;

/**
 * A lane's runner from a typed one: the lane only ever runs the commands `accepts` admits, and a stored
 * command of another kind is refused as a permanent error (the worker parks it), never cast.
 */
export function laneRunner<C extends OutboxCommand>(
  accepts: (cmd: OutboxCommand) => cmd is C,
  run: (cmd: C, incident: IncidentRecord) => Promise<CommandOutcome>,
  /** Commands without an incident; a lane without it refuses them as permanent errors. */
  runWithoutIncident?: (cmd: C) => Promise<CommandOutcome>,
): LaneRunner {
  return async (cmd, incident) => {
    if (cmd.kind === 'unreadable')
      throw new BridgeError(
        'unreadable_command',
        `the stored ${cmd.payload.storedKind} command cannot be read (${cmd.payload.error})`,
      );
    if (!accepts(cmd))
      throw new BridgeError('wrong_lane', `a ${cmd.kind} command cannot run on the ${cmd.lane} lane`);
    if (incident) return run(cmd, incident);
    if (!runWithoutIncident) throw new BridgeError('no_incident', `a ${cmd.kind} command needs an incident`);
    return runWithoutIncident(cmd);
  };
}
