import type { ChatMessageRef, ChatNotifier } from '../ports/chat';
import type { ChatOutboxCommand, IncidentRecord, OutboxCommand, Store, TimelineEntry } from '../ports/store';
import { handoffOfferView, type HandoffOfferDeps } from './handoff-offer-view';
import { chatIncidentView, TIMELINE_LIMIT, type ChatViewDeps, type Side } from './chat-incident-view';
import type { TimelineEventType } from '../core/incident/timeline-event';
import { isChatLane } from '../core/outbox/outbox-command';
import { unhandled } from '../core/unhandled';
import { BridgeError } from '../errors';
import { labelled } from './timeline-labels';
import { laneRunner, offerKey, type CommandOutcome, type LaneRunner } from './lane-runner';

export interface ChatLaneDeps extends HandoffOfferDeps {
  store: ChatViewDeps['store'] & Pick<Store, 'handoffs'>;
  notifier: ChatNotifier;
  /** The provider's channel on this platform, or null when it has none. */
  channelFor(provider: string): string | null;
  /** Runs one send under the channel's rate limit (about one message per second with short bursts). */
  throttle<T>(channel: string, send: () => Promise<T>): Promise<T>;
}

/** What the chat thread says for each kind of timeline entry; null: not threaded. */
export const THREAD_LABELS: Record<TimelineEventType, string | null> = {
  opened: null,
  alert_joined: 'alert joined',
  alert_refired: 'fired again',
  alert_recovered: 'recovered',
  resolving: 'all alerts recovered; resolving after the grace period',
  resolved: 'resolved',
  reopened: 'reopened',
  flapping: 'flapping',
  flapping_ended: 'flapping ended',
  annotated: 'note from monitoring',
  storm_started: '⚠ alert storm: new groups of this source are folded into this incident',
  storm_absorbed: 'absorbed by the alert storm',
  acknowledged: 'acknowledged',
  runbook_step_done: 'runbook step done',
  shadow_action: '👥 shadow',
  note: 'note',
  resolved_by_user: 'resolved',
  ticket_create: 'ticket',
  ticket_note: null,
  ticket_resolve: null,
  ticket_reopen: null,
  ticket_link: null,
  ticket_ack: null,
  ticket_comment: null,
  ticket_reassign: null,
  ticket_handoff_issue: 'Jira issue for the receiving provider',
  ticket_sync: null,
  sync_copied: null,
  sync_not_owned: '⚠ not synced',
  sync_stale: null,
  sync_group_changed: 'assignment group changed in ServiceNow',
  sync_assignee: 'assignee',
  ticket_parked: '⚠ ticket command parked',
  handoff_offered: 'hand-off offered',
  handoff_accepted: 'hand-off accepted',
  handoff_rejected: 'hand-off rejected',
  handoff_cancelled: 'hand-off cancelled',
  handoff_reminded: '⏳ hand-off not accepted yet',
  handoff_expired: '⚠ hand-off not accepted in time',
  handoff_escalated: '⚠ hand-off escalated',
  handoff_ping_pong: '⚠ hand-off ping-pong: service manager called in',
  escalation_step: '📣 escalation',
  escalation_stopped: null,
  unreadable: null,
};

/** The person behind an entry written from chat. */
const personOf = (e: TimelineEntry): string | null => ('name' in e.data ? e.data.name : null);

/** One thread reply for the timeline entries since the last one (coalesced, like ticket notes). */
export function threadText(entries: TimelineEntry[], maxLines = 12): string | null {
  const relevant = labelled(entries, THREAD_LABELS);
  if (relevant.length === 0) return null;
  const lines = relevant.slice(-maxLines).map(({ e, label }) => {
    const who = personOf(e);
    return `${e.at.slice(11, 16)} UTC · ${label} · ${who === null ? '' : `${who}: `}${e.reason}`;
  });
  if (relevant.length > maxLines) lines.unshift(`… ${relevant.length - maxLines} earlier change(s)`);
  return lines.join('\n');
}

/**
 * The chat lane: posts the incident message the first time, afterwards redraws it in place and threads
 * the timeline entries written since the previous run under it. Re-running after a failure is harmless
 * (an update is idempotent; the thread cursor only moves on success).
 */
export function chatLaneRunner(deps: ChatLaneDeps): LaneRunner {
  return laneRunner(
    isChatCommand,
    async (cmd, incident) => {
      switch (cmd.kind) {
        case 'chat_sync':
          return syncIncidentMessage(deps, incident);
        case 'chat_notify':
          return notifyPeople(deps, incident, cmd.payload);
        case 'shift_post':
          return postShift(deps, cmd.payload);
        case 'handoff_sync':
          return syncHandoffOffer(deps, incident, cmd.payload.handoffId);
        default:
          return unhandled(cmd);
      }
    },
    (cmd) => {
      if (cmd.kind === 'shift_post') return postShift(deps, cmd.payload);
      throw new BridgeError('no_incident', `a ${cmd.kind} command needs an incident`);
    },
  );
}

/** A shift handover summary: into the provider's channel, or to one person. */
async function postShift(
  deps: ChatLaneDeps,
  p: Extract<ChatOutboxCommand, { kind: 'shift_post' }>['payload'],
): Promise<CommandOutcome> {
  const message = { text: p.text, handoverId: p.handoverId, ackButton: p.ackButton };
  if (p.where === 'dm') {
    const via = deps.channelFor(p.provider);
    await deps.throttle(p.to, () => deps.notifier.postShift({ user: p.to, via }, message));
    return { summary: `shift handover ${p.handoverId} sent to ${p.to}` };
  }
  const channel = deps.channelFor(p.provider);
  if (!channel)
    return { summary: `no ${deps.notifier.platform} channel for provider ${p.provider}; skipped` };
  await deps.throttle(channel, () => deps.notifier.postShift({ channel }, message));
  return { summary: `shift handover ${p.handoverId} posted to ${channel}` };
}

/**
 * A hand-off offer: posted into the receiving provider's channel the first time, redrawn in place
 * afterwards (the worker keeps where it is with the incident's chat state).
 */
async function syncHandoffOffer(
  deps: ChatLaneDeps,
  incident: IncidentRecord,
  handoffId: number,
): Promise<CommandOutcome> {
  const lane = deps.notifier.platform;
  const h = await deps.store.handoffs.get(handoffId);
  if (!h || h.incidentId !== incident.id) return { summary: `hand-off ${handoffId} not found; skipped` };
  const offer = await handoffOfferView(deps, lane, incident, h);
  const existing = incident.chat.offers?.[offerKey(lane, h.id)];
  if (existing) {
    await deps.throttle(existing.channel, () => deps.notifier.updateOffer(existing, offer));
    return { summary: `hand-off ${h.id} offer redrawn (${h.state})` };
  }
  const channel = deps.channelFor(h.to);
  if (!channel) return { summary: `no ${lane} channel for provider ${h.to}; skipped` };
  const ref = await deps.throttle(channel, () => deps.notifier.postOffer(channel, offer));
  return { summary: `hand-off ${h.id} offer posted to ${channel}`, offer: { handoffId: h.id, ref } };
}

/** A chat command on a chat lane. */
export const isChatCommand = (cmd: OutboxCommand): cmd is ChatOutboxCommand =>
  cmd.kind !== 'unreadable' && isChatLane(cmd.lane);

/**
 * An escalation message: a direct message, or in the incident's thread — in the provider's channel when
 * the incident message is not posted (yet), so a mention is never dropped for want of a thread.
 */
async function notifyPeople(
  deps: ChatLaneDeps,
  incident: IncidentRecord,
  p: Extract<ChatOutboxCommand, { kind: 'chat_notify' }>['payload'],
): Promise<CommandOutcome> {
  const lane = deps.notifier.platform;
  const message = { text: p.text, mentions: p.mentions };
  if (p.where === 'dm' && p.user) {
    const user = p.user;
    const via = incident.chat[lane]?.channel ?? deps.channelFor(incident.provider);
    await deps.throttle(user, () => deps.notifier.notify({ user, via }, message));
    return { summary: `direct message sent to ${user}` };
  }
  const existing = incident.chat[lane];
  if (existing) {
    const thread = { channel: existing.channel, ts: existing.ts };
    await deps.throttle(thread.channel, () => deps.notifier.notify({ thread }, message));
    return { summary: `escalation posted in the thread in ${thread.channel}` };
  }
  const channel = deps.channelFor(incident.provider);
  if (!channel) return { summary: `no ${lane} channel for provider ${incident.provider}; skipped` };
  await deps.throttle(channel, () => deps.notifier.notify({ channel }, message));
  return { summary: `escalation posted to ${channel}` };
}

async function syncIncidentMessage(deps: ChatLaneDeps, incident: IncidentRecord): Promise<CommandOutcome> {
  const timeline = await deps.store.timeline.of(incident.id, TIMELINE_LIMIT);
  const owner = await syncCopy(deps, incident, timeline, 'owner');
  if (!incident.shadow || incident.shadow === incident.provider) return owner;
  // Transition mode: the shadow provider's own copy in its channel, drawn and threaded the same way.
  let shadow: CommandOutcome;
  try {
    shadow = await syncCopy(deps, incident, timeline, 'shadow');
  } catch (err) {
    // A retry would post the owner's new message a second time; the next change posts the copy.
    if (!owner.chat || incident.chat[deps.notifier.platform]) throw err;
    shadow = { summary: `not posted (${err instanceof Error ? err.message : String(err)}); next change` };
  }
  return {
    summary: `${owner.summary}; shadow (${incident.shadow}): ${shadow.summary}`,
    ...(owner.chat ? { chat: owner.chat } : {}),
    ...(shadow.chat ? { shadowChat: shadow.chat } : {}),
  };
}

/** Posts one side's copy of the incident message, or redraws it and threads what is new. */
async function syncCopy(
  deps: ChatLaneDeps,
  incident: IncidentRecord,
  timeline: TimelineEntry[],
  side: Side,
): Promise<CommandOutcome> {
  const lane = deps.notifier.platform;
  const provider = side === 'owner' ? incident.provider : (incident.shadow ?? incident.provider);
  const lastId = timeline[timeline.length - 1]?.id ?? 0;
  const view = await chatIncidentView(deps, incident, timeline, side);
  const existing = side === 'owner' ? incident.chat[lane] : incident.chat.shadow?.[lane];
  if (!existing) {
    const channel = deps.channelFor(provider);
    if (!channel) return { summary: `no ${lane} channel for provider ${provider}; skipped` };
    const ref = await deps.throttle(channel, () => deps.notifier.post(channel, view));
    return { summary: `incident message posted to ${channel}`, chat: { ...ref, seen: lastId } };
  }
  const ref: ChatMessageRef = { channel: existing.channel, ts: existing.ts };
  await deps.throttle(ref.channel, () => deps.notifier.update(ref, view));
  const text = threadText(timeline.filter((e) => e.id > (existing.seen ?? 0)));
  if (text) await deps.throttle(ref.channel, () => deps.notifier.reply(ref, deps.redactor.text(text)));
  return { summary: 'incident message updated', chat: { ...ref, seen: lastId } };
}
