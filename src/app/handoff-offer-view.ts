import type { Handoff } from '../core/handoff/handoff';
import { isOpen } from '../core/handoff/handoff';
import type { OnCallPerson } from '../core/oncall/schedule';
import type { ChatHandoffOffer, ChatMention, ChatPlatform } from '../ports/chat';
import type { IncidentRecord } from '../ports/store';
import { chatIncidentView, type ChatViewDeps } from './chat-incident-view';

/** What the offer view needs beyond the incident view: who is on call for a provider at an instant. */
export interface HandoffOfferDeps extends ChatViewDeps {
  onCallNow?(provider: string, at: Date): OnCallPerson | null;
}

/** An actor id (`slack:U…`) as a mention on its own platform; other actors stay as they are. */
function actorOn(platform: ChatPlatform, actor: string): ChatMention | string {
  const prefix = `${platform}:`;
  return actor.startsWith(prefix) ? { id: actor.slice(prefix.length), name: actor } : actor;
}

const impactText = (n: Handoff['note']): string | null => {
  const parts = [
    n.impact?.branches?.length ? `branches ${n.impact.branches.join(', ')}` : null,
    n.impact?.users !== undefined ? `${n.impact.users} users` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join('; ') : null;
};

/** The note's filled fields with their labels, in the order people read them. */
const noteFields = (n: Handoff['note']) =>
  (
    [
      ['Situation', n.situation],
      ['Actions taken', n.actionsTaken],
      ['Next steps', n.nextSteps],
      ['Hypothesis', n.hypothesis ?? null],
      ['Impact', impactText(n)],
      ['Next checkpoint', n.nextCheckpoint ?? null],
    ] as const
  ).flatMap(([label, value]) => (value ? [{ label, value }] : []));

/**
 * The hand-off as the receiving channel shows it on one platform: the note, the deadline, the state and
 * who decided, and the receiving provider's on-call at the time of the offer (so a redraw mentions the
 * same person). Everything is redacted.
 */
export async function handoffOfferView(
  deps: HandoffOfferDeps,
  platform: ChatPlatform,
  incident: IncidentRecord,
  h: Handoff,
): Promise<ChatHandoffOffer> {
  const view = await chatIncidentView(deps, incident);
  const person = deps.onCallNow?.(h.to, new Date(h.offeredAt)) ?? null;
  const chatId = platform === 'slack' ? person?.slackUser : person?.teamsUser;
  const name = (p: string) => deps.providerNames.get(p) ?? p;
  return deps.redactor.deep({
    id: h.id,
    state: h.state,
    open: isOpen(h.state),
    fromName: name(h.from),
    toName: name(h.to),
    offeredBy: h.offeredBy,
    deadline: h.deadline,
    decided: h.decidedBy && h.decidedAt ? { by: actorOn(platform, h.decidedBy), at: h.decidedAt } : null,
    reason: h.reason,
    oncall: person ? { name: person.name, mention: chatId ? { id: chatId, name: person.name } : null } : null,
    note: noteFields(h.note),
    incident: { id: view.id, title: view.title, priority: view.priority, links: view.links },
  });
}
