import type { ChatMessageRef, ChatNotifier } from '../ports/chat';
import type { TimelineEntry } from '../ports/store';
import { chatIncidentView, CHAT_EVENTS, TIMELINE_LIMIT, type ChatViewDeps } from './chat-incident-view';
import type { LaneRunner } from './run-outbox-command';

export interface ChatLaneDeps extends ChatViewDeps {
  notifier: ChatNotifier;
  /** The provider's channel on this platform, or null when it has none. */
  channelFor(provider: string): string | null;
  /** Runs one send under the channel's rate limit (about one message per second with short bursts). */
  throttle<T>(channel: string, send: () => Promise<T>): Promise<T>;
}

const THREAD_LABELS: Record<string, string> = {
  alert_joined: 'alert joined',
  alert_refired: 'fired again',
  alert_recovered: 'recovered',
  resolving: 'all alerts recovered; resolving after the grace period',
  resolved: 'resolved',
  reopened: 'reopened',
  flapping: 'flapping',
  flapping_ended: 'flapping ended',
  annotated: 'note from monitoring',
  [CHAT_EVENTS.acknowledged]: 'acknowledged',
  [CHAT_EVENTS.stepDone]: 'runbook step done',
  [CHAT_EVENTS.note]: 'note',
  [CHAT_EVENTS.resolvedByUser]: 'resolved',
  ticket_create: 'ticket',
  ticket_parked: '⚠ ticket command parked',
};

/** One thread reply for the timeline entries since the last one (coalesced, like ticket notes). */
export function threadText(entries: TimelineEntry[], maxLines = 12): string | null {
  const relevant = entries.filter((e) => e.type in THREAD_LABELS);
  if (relevant.length === 0) return null;
  const line = (e: TimelineEntry) => {
    const who = typeof e.data.name === 'string' ? `${e.data.name}: ` : '';
    return `${e.at.slice(11, 16)} UTC · ${THREAD_LABELS[e.type]} · ${who}${e.reason}`;
  };
  const lines = relevant.slice(-maxLines).map(line);
  if (relevant.length > maxLines) lines.unshift(`… ${relevant.length - maxLines} earlier change(s)`);
  return lines.join('\n');
}

/**
 * The chat lane: posts the incident message the first time, afterwards redraws it in place and threads
 * the timeline entries written since the previous run under it. Re-running after a failure is harmless
 * (an update is idempotent; the thread cursor only moves on success).
 */
export function chatLaneRunner(deps: ChatLaneDeps): LaneRunner {
  const lane = deps.notifier.platform;
  return async (_cmd, incident) => {
    const timeline = await deps.store.timelineOf(incident.id, TIMELINE_LIMIT);
    const lastId = timeline[timeline.length - 1]?.id ?? 0;
    const view = await chatIncidentView(deps, incident, timeline);
    const existing = incident.chat[lane];
    if (!existing) {
      const channel = deps.channelFor(incident.provider);
      if (!channel) return { summary: `no ${lane} channel for provider ${incident.provider}; skipped` };
      const ref = await deps.throttle(channel, () => deps.notifier.post(channel, view));
      return { summary: `incident message posted to ${channel}`, chat: { ...ref, seen: lastId } };
    }
    const ref: ChatMessageRef = { channel: existing.channel, ts: existing.ts };
    await deps.throttle(ref.channel, () => deps.notifier.update(ref, view));
    const text = threadText(timeline.filter((e) => e.id > (existing.seen ?? 0)));
    if (text) await deps.throttle(ref.channel, () => deps.notifier.reply(ref, deps.redactor.text(text)));
    return { summary: 'incident message updated', chat: { ...ref, seen: lastId } };
  };
}
