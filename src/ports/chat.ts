import type { HandoffNote } from '../core/handoff/handoff';

/**
 * The chat side, platform-neutral. Slack and Teams adapters (integrations/slack, integrations/teams)
 * implement ChatNotifier and render CommandResult; the inbound handlers (handlers/slack,
 * handlers/teams) turn requests into a ChatActor plus text or a ChatAction and call ChatCommands.
 */
export type ChatPlatform = 'slack' | 'teams';

export interface RunbookStepView {
  /** 0-based position in the runbook's checklist; the id used by "done" buttons. */
  index: number;
  text: string;
  /** Who marked it done and when; null while open. */
  done: { by: string; at: string } | null;
}

/** Everything a presenter needs to draw an incident card. All text is already redacted. */
export interface ChatIncident {
  id: number;
  /** Our stable key (shown small; used in ServiceNow `correlation_id`). */
  key: string;
  title: string;
  state: 'open' | 'resolving' | 'resolved';
  /** Who acknowledged and when (display name), null when nobody has. */
  acknowledged: { by: string; at: string } | null;
  /** How it was resolved: by recovery or by a person, with the note. */
  resolution: { by: string; at: string; note: string } | null;
  priority: number;
  impact: number;
  urgency: number;
  severity: string;
  branch: string | null;
  host: string | null;
  service: string | null;
  /** Provider name from config and its display name. */
  provider: string;
  providerName: string;
  /** Distinct member alerts (not notifications). */
  alertCount: number;
  firingCount: number;
  flapping: boolean;
  openedAt: string;
  resolvedAt: string | null;
  links: {
    servicenow: { key: string; url: string } | null;
    jira: { key: string; url: string } | null;
    /** Links from the alerts (Grafana panel, Alertmanager, Icinga web, Checkmk view). */
    monitoring: { label: string; url: string }[];
    /** The incident in the bridge's own API. */
    bridge: string;
  };
  runbook: { id: string; title: string; steps: RunbookStepView[] } | null;
  /**
   * Transition mode. On the shadow provider's copy (`copy`) `acknowledged` and the runbook show the
   * shadow's own actions; `other` is the owner there and the shadow on the owner's message.
   */
  shadow?: { copy: boolean; otherName: string; otherAcknowledged: { by: string; at: string } | null };
  /** The latest hand-off (from the timeline): while it is open the message says who it waits for. */
  handoff?: {
    id: number;
    toName: string;
    fromName: string;
    state: 'open' | 'accepted' | 'rejected' | 'cancelled';
  } | null;
}

/** Where a posted incident message lives, to update it in place and thread replies under it. */
export interface ChatMessageRef {
  /** Slack channel id, or the Teams conversation id. */
  channel: string;
  /** Slack message `ts`, or the Teams activity id. */
  ts: string;
}

/**
 * Outbound chat, one adapter per platform. Throws IntegrationError (retryable, with retryAfterSeconds on
 * 429) like the ticket systems; the outbox lane of the platform retries.
 */
export interface ChatNotifier {
  readonly platform: ChatPlatform;
  /** Posts a new incident message into a channel (Slack channel id/name; Teams: a stored conversation). */
  post(channel: string, incident: ChatIncident): Promise<ChatMessageRef>;
  /** Redraws the message in place (Slack `chat.update`, Teams `updateActivity`). */
  update(ref: ChatMessageRef, incident: ChatIncident): Promise<void>;
  /** A thread reply under the message (timeline events). Plain text, already redacted. */
  reply(ref: ChatMessageRef, text: string): Promise<void>;
  /**
   * A message that must reach people (escalations): plain text, already redacted, led by mentions of
   * `mentions` (platform user ids), in a thread, a channel, or as a direct message to one user.
   */
  notify(to: NotifyTarget, message: { text: string; mentions: ChatMention[] }): Promise<void>;
  /**
   * A shift handover summary (plain text, already redacted) into a channel or as a direct message, with
   * an Acknowledge button that runs `shift ack <handoverId>` for whoever clicks it.
   */
  postShift(
    to: { channel: string } | { user: string; via: string | null },
    message: { text: string; handoverId: number; ackButton: boolean },
  ): Promise<void>;
  /** A hand-off offer into the receiving provider's channel, with Accept / Reject while it is open. */
  postOffer(channel: string, offer: ChatHandoffOffer): Promise<ChatMessageRef>;
  /** Redraws the offer in place after a decision, a reminder or an escalation. */
  updateOffer(ref: ChatMessageRef, offer: ChatHandoffOffer): Promise<void>;
}

/** A hand-off as the receiving channel sees it; all text already redacted. */
export interface ChatHandoffOffer {
  id: number;
  state: 'offered' | 'accepted' | 'rejected' | 'expired' | 'escalated' | 'cancelled';
  /** Accept / Reject are offered (the hand-off waits for the receiving provider). */
  open: boolean;
  fromName: string;
  toName: string;
  offeredBy: string;
  deadline: string;
  /** Who decided, as a platform mention when they acted from this platform, else their actor id. */
  decided: { by: ChatMention | string; at: string } | null;
  reason: string | null;
  /** The receiving provider's on-call now, mentioned so that the offer reaches a person. */
  oncall: { name: string; mention: ChatMention | null } | null;
  /** The note's fields that are filled, in reading order (situation first), with their labels. */
  note: { label: string; value: string }[];
  incident: Pick<ChatIncident, 'id' | 'title' | 'priority' | 'links'>;
}

/** Someone to mention: the platform's user id and the name shown. */
export interface ChatMention {
  id: string;
  name: string;
}

/** Where an escalation message goes. */
export type NotifyTarget =
  | { thread: ChatMessageRef }
  | { channel: string }
  /** `via`: the provider's channel, whose installation opens the 1:1 chat on platforms that need one (Teams). */
  | { user: string; via: string | null };

/** Who clicked or typed: the platform's user id, a display name and, when known, the e-mail. */
export interface ChatActor {
  platform: ChatPlatform;
  userId: string;
  name: string;
  email: string | null;
}

/** A button or card action, or a modal submission. */
export type ChatAction =
  | { verb: 'ack'; incidentId: number }
  | { verb: 'resolve'; incidentId: number; note: string | null }
  | { verb: 'note'; incidentId: number; text: string }
  /** Open the hand-off dialog; `to` when the command named the receiving provider. */
  | { verb: 'handoff'; incidentId: number; to?: string | null }
  | { verb: 'step'; incidentId: number; step: number };

/** Action ids on buttons (Slack `action_id`, Teams card `data.verb`). Button values carry the ids. */
export const CHAT_ACTIONS = {
  ack: 'itsm_ack',
  resolve: 'itsm_resolve',
  handoff: 'itsm_handoff',
  step: 'itsm_step_done',
} as const;

/** Action id of the Acknowledge button on shift handovers (Slack); its value is the handover id. */
export const SHIFT_ACK_ACTION = 'itsm_shift_ack';

/** Slack modal callback id for "resolve with a note"; private_metadata carries the incident id. */
export const RESOLVE_VIEW_ID = 'itsm_resolve_note';

/** Accept / Reject on a hand-off offer (Slack `action_id`, Teams `data.verb`); the value is the hand-off id. */
export const HANDOFF_ACTIONS = { accept: 'itsm_handoff_accept', reject: 'itsm_handoff_reject' } as const;

/** Slack modal callback ids: the hand-off note (metadata: incident id) and the rejection reason (hand-off id). */
export const HANDOFF_VIEW_ID = 'itsm_handoff_note';
export const HANDOFF_REJECT_VIEW_ID = 'itsm_handoff_reject';

/**
 * Block ids of the hand-off dialog, one per field: a `response_action: errors` answer names them, and
 * `view.state.values[<block>].value` carries what was entered. Every input's action id is `value`.
 */
export const HANDOFF_BLOCKS = {
  to: 'to',
  situation: 'situation',
  actionsTaken: 'actionsTaken',
  nextSteps: 'nextSteps',
  hypothesis: 'hypothesis',
  branches: 'branches',
  users: 'users',
  nextCheckpoint: 'nextCheckpoint',
  reason: 'reason',
} as const;
export const HANDOFF_INPUT_ACTION = 'value';

/** What the hand-off dialog (Slack modal, Teams card) needs: the incident, the target, what is pre-filled. */
export interface HandoffForm {
  incident: ChatIncident;
  /** The provider named in the command; null: the dialog asks (a select of `providers`). */
  to: string | null;
  /** Providers the incident can go to (every one but its owner). */
  providers: { name: string; displayName: string }[];
  /** Pre-filled "actions taken": the runbook steps done and the notes on the timeline. */
  actionsTaken: string;
}

/** A decision on a hand-off from chat. */
export type ChatHandoffDecision =
  { kind: 'accept' } | { kind: 'reject'; reason: string } | { kind: 'cancel' };

/** Headline numbers of a monthly SLA report, for the chat summary. */
export interface ReportHeadline {
  month: string;
  tickets: number;
  breaches: number;
  /** Per priority: response and resolution compliance in %, null when no ticket had that SLA. */
  byPriority: { priority: string; tickets: number; response: number | null; resolution: number | null }[];
  mttaMinutes: number | null;
  mttrMinutes: number | null;
  /** Download links on the bridge (HTML, CSV). */
  links: { html: string; csv: string };
}

/**
 * What a command or action answers, platform-neutral. Presenters turn it into Block Kit / Adaptive Cards.
 * `ephemeral` answers are only for the one user (refusals, help, lists).
 */
export type CommandResult =
  | { kind: 'text'; text: string; ok: boolean }
  | { kind: 'incident'; text: string; incident: ChatIncident }
  | { kind: 'incidents'; title: string; incidents: ChatIncident[] }
  /** The action needs more input: open the "resolve with a note" dialog for this incident. */
  | { kind: 'needs_note'; incident: ChatIncident }
  /** The hand-off needs its note: open the hand-off dialog. */
  | { kind: 'needs_handoff_note'; form: HandoffForm }
  | { kind: 'report'; headline: ReportHeadline; files: { name: string; content: Buffer; mime: string }[] };

/** The platform-neutral command layer (src/commands) the chat handlers call. */
export interface ChatCommands {
  /** A typed command, e.g. `ack INC0010001` or `list mine` (without the `/itsm` or @mention). */
  run(actor: ChatActor, text: string): Promise<CommandResult>;
  /** A button, card action or modal submission. */
  act(actor: ChatActor, action: ChatAction): Promise<CommandResult>;
  /** The hand-off dialog submitted: members of the owning provider offer the incident with the note. */
  offerHandoff(
    actor: ChatActor,
    o: { incidentId: number; to: string; note: HandoffNote },
  ): Promise<CommandResult>;
  /** Accept / Reject (members of the receiving provider) or cancel (the offering side). */
  decideHandoff(actor: ChatActor, handoffId: number, decision: ChatHandoffDecision): Promise<CommandResult>;
  /** Null when this person may take this decision now (before asking a reason); else the refusal. */
  mayDecideHandoff(
    actor: ChatActor,
    handoffId: number,
    kind: ChatHandoffDecision['kind'],
  ): Promise<CommandResult | null>;
}
