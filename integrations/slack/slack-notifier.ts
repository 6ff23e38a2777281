import type {
  ChatHandoffOffer,
  ChatIncident,
  ChatMention,
  ChatMessageRef,
  ChatNotifier,
  NotifyTarget,
} from '../../src/ports/chat';
import { SHIFT_ACK_ACTION } from '../../src/ports/chat';
import type { Logger } from '../../src/ports/logger';
import { limitText } from '../../src/core/text/limit-text';
import { escape, type Block } from './presenters/blocks';
import { incidentMessage } from './presenters/incident-message';
import { handoffOfferMessage } from './presenters/handoff-offer-message';
import { SlackApi, type SlackApiOptions } from './slack-api';

/** chat.postMessage rejects longer `text` with `msg_too_long` (docs.slack.dev/reference/methods/chat.postMessage). */
const SLACK_MAX_TEXT = 40_000;

/**
 * Outbound incident messages in Slack: one message per incident, redrawn in place with `chat.update`,
 * timeline events as thread replies. Errors are IntegrationErrors; the outbox's Slack lane retries.
 */
export class SlackNotifier implements ChatNotifier {
  readonly platform = 'slack' as const;

  constructor(
    readonly api: SlackApi,
    private readonly logger?: Logger,
  ) {}

  /** `channel` may be an id or `#name`; the returned ref always holds the id Slack resolved it to. */
  async post(channel: string, incident: ChatIncident): Promise<ChatMessageRef> {
    const ref = await this.api.postMessage(channel, incidentMessage(incident));
    this.logger?.info('slack incident message posted', { incidentId: incident.id, ...ref });
    return ref;
  }

  async update(ref: ChatMessageRef, incident: ChatIncident): Promise<void> {
    await this.api.updateMessage(ref, incidentMessage(incident));
  }

  /**
   * Plain text: escaped so that `<`, `>` and `&` from alert text cannot form links or mentions, and cut
   * to Slack's 40,000 characters (counted after escaping): longer text fails with `msg_too_long` for
   * good and would park the command.
   */
  async reply(ref: ChatMessageRef, text: string): Promise<void> {
    const fitted = limitText(text, SLACK_MAX_TEXT, (c) => escape(c).length);
    await this.api.postMessage(ref.channel, { text: escape(fitted) }, ref.ts);
  }

  /** Mentions as `<@U…>` (they notify), the text escaped; a user id as channel is the app's DM with them. */
  async notify(to: NotifyTarget, message: { text: string; mentions: ChatMention[] }): Promise<void> {
    const text = [...message.mentions.map((m) => `<@${m.id}>`), escape(message.text)].join(' ');
    if ('thread' in to) await this.api.postMessage(to.thread.channel, { text }, to.thread.ts);
    else await this.api.postMessage('channel' in to ? to.channel : to.user, { text });
  }

  async postOffer(channel: string, offer: ChatHandoffOffer): Promise<ChatMessageRef> {
    return this.api.postMessage(channel, handoffOfferMessage(offer));
  }

  async updateOffer(ref: ChatMessageRef, offer: ChatHandoffOffer): Promise<void> {
    await this.api.updateMessage(ref, handoffOfferMessage(offer));
  }

  /** The summary as a section, with an Acknowledge button whose value is the handover id. */
  async postShift(
    to: { channel: string } | { user: string },
    message: { text: string; handoverId: number; ackButton: boolean },
  ): Promise<void> {
    const text = escape(message.text);
    const blocks: Block[] = [
      // Section text is limited to 3,000 characters; the full text stays in `text`.
      { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } },
      ...(message.ackButton
        ? [
            {
              type: 'actions' as const,
              elements: [
                {
                  type: 'button' as const,
                  action_id: SHIFT_ACK_ACTION,
                  text: { type: 'plain_text' as const, text: 'Acknowledge handover' },
                  style: 'primary' as const,
                  value: String(message.handoverId),
                },
              ],
            },
          ]
        : []),
    ];
    await this.api.postMessage('channel' in to ? to.channel : to.user, { text, blocks });
  }
}

/** The notifier and its SlackApi from `{ token, apiUrl, logger }` (the Bolt handlers share the api). */
export function createSlackNotifier(o: SlackApiOptions): SlackNotifier {
  return new SlackNotifier(new SlackApi(o), o.logger);
}
