import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import type { CloudAdapter, ConnectorClient, TurnContext } from '@microsoft/agents-hosting';
import type { JwtPayload } from 'jsonwebtoken';
import { IntegrationError } from '../../src/errors';
import type {
  ChatHandoffOffer,
  ChatIncident,
  ChatMention,
  ChatMessageRef,
  ChatNotifier,
} from '../../src/ports/chat';
import { SHIFT_ACK_ACTION } from '../../src/ports/chat';
import { adaptiveCard, escapeMarkdown, text as textBlock } from './presenters/adaptive-card';
import type { Clock } from '../../src/ports/clock';
import { limitText } from '../../src/core/text/limit-text';
import type { ConversationReferences } from './conversation-references';
import { ADAPTIVE_CARD_CONTENT_TYPE, cardAttachment } from './presenters/adaptive-card';
import { handoffOfferCard } from './presenters/handoff-cards';
import { incidentCard } from './presenters/incident-card';
import { incidentText } from './presenters/plain-text';
import { toTeamsError } from './teams-error';

export interface BotNotifierOptions {
  adapter: CloudAdapter;
  references: ConversationReferences;
  /** Per call; the SDK's fetch has no timeout of its own. */
  timeoutMs?: number;
  /** Reads an HTTP-date Retry-After. */
  clock: Clock;
}

/**
 * Teams refuses an activity over about 28 KB (the whole JSON, "Message size too large"); the text gets
 * 24 KiB of it, the rest is left for the envelope (conversation, ids, from).
 */
const TEAMS_MAX_TEXT_BYTES = 24 * 1024;

/**
 * Two-way Teams: proactive incident cards through the Agents SDK. Each call continues the stored
 * conversation (so the SDK builds a connector client for its `serviceUrl`, with an app token unless the
 * adapter is anonymous) and then talks to the Bot Connector REST API directly:
 * `POST /v3/conversations/{id}/activities` (new card), `PUT …/activities/{activityId}` (redraw) and
 * `POST /v3/conversations/{id};messageid={card id}/activities` (reply in the card's thread). Teams does not
 * thread "reply to activity" (`POST …/activities/{activityId}`) in channels: it arrives as a new top-level
 * post; the conversation id with `;messageid=` is the documented way
 * (microsoft/botframework-sdk#6626; the Teams SDK's `Reply` builds the same threaded conversation id).
 * TurnContext.sendActivity is not used for the post: a continuation turn sets `replyToId` to a random id,
 * which would turn every new card into a "reply".
 */
export function createBotNotifier(opts: BotNotifierOptions): ChatNotifier {
  const { adapter } = opts;
  const timeoutMs = opts.timeoutMs ?? 15_000;

  async function withConnector<T>(
    operation: string,
    conversationId: string,
    fn: (client: ConnectorClient, ref: ConversationReference) => Promise<T>,
  ): Promise<T> {
    const stored = await opts.references.get(conversationId);
    if (!stored)
      throw new IntegrationError(
        'teams',
        operation,
        null,
        `no conversation reference for ${conversationId}: install the app in that team or chat first`,
        false,
      );
    // Without activityId the continuation is not tied to an old message.
    const reference: ConversationReference = { ...stored, activityId: undefined };
    // The adapter hands errors thrown inside a turn to onTurnError; keep them to map the HTTP status.
    type Outcome = { ok: true; value: T } | { ok: false; error: unknown };
    let outcome: Outcome | null = null;
    const run = adapter.continueConversation(identity(adapter), reference, async (context: TurnContext) => {
      const client = context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
      try {
        outcome = { ok: true, value: await fn(client, reference) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    try {
      await withTimeout(run, timeoutMs, operation);
    } catch (err) {
      throw toTeamsError(operation, err, opts.clock.now().getTime());
    }
    const done = outcome as Outcome | null;
    if (!done) throw new IntegrationError('teams', operation, null, 'the turn ended without a result', true);
    if (!done.ok) throw toTeamsError(operation, done.error, opts.clock.now().getTime());
    return done.value;
  }

  /**
   * A direct message: the 1:1 chat with the user is opened (or found) through the provider channel's
   * installation, `POST /v3/conversations` with the bot, the member, the tenant — and the first message.
   */
  async function directMessage(
    operation: string,
    to: { user: string; via: string | null },
    activity: (ref: ConversationReference) => Activity,
  ): Promise<void> {
    if (!to.via)
      throw new IntegrationError(
        'teams',
        operation,
        null,
        'no channel installation to open a 1:1 chat',
        false,
      );
    await withConnector(operation, to.via, async (client, ref) => {
      const tenantId = ref.conversation.tenantId;
      await client.createConversation({
        isGroup: false,
        ...(ref.agent ? { agent: ref.agent } : {}),
        members: [{ id: to.user }],
        ...(tenantId ? { tenantId } : {}),
        channelData: tenantId ? { tenant: { id: tenantId } } : {},
        activity: activity(ref),
      });
    });
  }

  return {
    platform: 'teams',
    async post(conversationId, incident) {
      const id = await withConnector('post', conversationId, async (client, ref) => {
        const res = await client.sendToConversation(ref.conversation.id, cardActivity(ref, incident));
        return res.id;
      });
      if (!id)
        throw new IntegrationError('teams', 'post', null, 'the connector returned no activity id', false);
      return { channel: conversationId, ts: id };
    },
    async update(msg: ChatMessageRef, incident: ChatIncident) {
      await withConnector('update', msg.channel, async (client, ref) => {
        const activity = cardActivity(ref, incident);
        activity.id = msg.ts;
        await client.updateActivity(ref.conversation.id, msg.ts, activity);
      });
    },
    async postOffer(conversationId, offer) {
      const id = await withConnector('offer', conversationId, async (client, ref) => {
        const res = await client.sendToConversation(ref.conversation.id, offerActivity(ref, offer));
        return res.id;
      });
      if (!id)
        throw new IntegrationError('teams', 'offer', null, 'the connector returned no activity id', false);
      return { channel: conversationId, ts: id };
    },
    async updateOffer(msg, offer) {
      await withConnector('offer', msg.channel, async (client, ref) => {
        const activity = offerActivity(ref, offer);
        activity.id = msg.ts;
        await client.updateActivity(ref.conversation.id, msg.ts, activity);
      });
    },
    async reply(msg, text) {
      await withConnector('reply', msg.channel, async (client, ref) => {
        const thread = threadConversation(ref, msg.ts);
        const activity = baseActivity({ ...ref, conversation: { ...ref.conversation, id: thread } });
        activity.text = limitText(text, TEAMS_MAX_TEXT_BYTES, (c) => Buffer.byteLength(c));
        activity.textFormat = 'plain';
        await client.sendToConversation(thread, activity);
      });
    },
    /**
     * Mentions as `<at>` entities (they notify). A direct message opens (or finds) the 1:1 chat with the
     * user through the provider channel's installation: `POST /v3/conversations` with the bot, the member,
     * the tenant and the message.
     */
    /** The summary as a card with an Acknowledge button (Action.Execute `itsm_shift_ack`). */
    async postShift(to, message) {
      const card = adaptiveCard(
        [textBlock(escapeMarkdown(message.text))],
        message.ackButton
          ? [
              {
                type: 'Action.Execute',
                title: 'Acknowledge handover',
                verb: SHIFT_ACK_ACTION,
                data: { handoverId: message.handoverId },
                style: 'positive',
              },
            ]
          : [],
        message.text,
      );
      const withCard = (ref: ConversationReference) => {
        const activity = baseActivity(ref);
        const { contentType, content } = cardAttachment(card);
        activity.attachments = [{ contentType, content }];
        activity.summary = message.text.split('\n')[0];
        return activity;
      };
      if ('channel' in to) {
        await withConnector('shift', to.channel, (client, ref) =>
          client.sendToConversation(ref.conversation.id, withCard(ref)),
        );
        return;
      }
      await directMessage('shift', to, withCard);
    },
    async notify(to, message) {
      if ('thread' in to) {
        const msg = to.thread;
        await withConnector('notify', msg.channel, async (client, ref) => {
          const thread = threadConversation(ref, msg.ts);
          const activity = mentionActivity(
            { ...ref, conversation: { ...ref.conversation, id: thread } },
            message,
          );
          await client.sendToConversation(thread, activity);
        });
        return;
      }
      if ('channel' in to) {
        await withConnector('notify', to.channel, (client, ref) =>
          client.sendToConversation(ref.conversation.id, mentionActivity(ref, message)),
        );
        return;
      }
      await directMessage('notify', to, (ref) => mentionActivity(ref, { ...message, mentions: [] }));
    },
  };
}

/** A plain-text message led by `<at>Name</at>` mentions with their entities. */
function mentionActivity(
  ref: ConversationReference,
  message: { text: string; mentions: ChatMention[] },
): Activity {
  const activity = baseActivity(ref);
  const tags = message.mentions.map((m) => `<at>${m.name.replace(/[<>]/g, '')}</at>`);
  activity.text = [...tags, message.text].join(' ');
  activity.entities = message.mentions.map((m, i) => ({
    type: 'mention',
    mentioned: { id: m.id, name: m.name },
    text: tags[i],
  }));
  return activity;
}

/**
 * The identity the SDK continues as. With an app id it acquires an MSAL token for that app; an identity
 * without `aud` is the SDK's anonymous mode (no Authorization header), used against the sandbox emulator.
 */
function identity(adapter: CloudAdapter): string | JwtPayload {
  return adapter.getClientId() ?? {};
}

/**
 * The conversation id that posts into the thread of `rootId`: `<channel>;messageid=<root>` in a channel.
 * Chats (personal, group) have no threads, so a reply there is a plain post into the chat.
 */
export function threadConversation(ref: ConversationReference, rootId: string): string {
  const id = ref.conversation.id.split(';messageid=')[0]!;
  const type = ref.conversation.conversationType;
  const isChannel = type === 'channel' || (type === undefined && /@thread\.(tacv2|skype)$/.test(id));
  return isChannel ? `${id};messageid=${rootId}` : id;
}

function baseActivity(ref: ConversationReference): Activity {
  return Activity.fromObject({
    type: 'message',
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    conversation: ref.conversation,
    ...(ref.agent ? { from: ref.agent } : {}),
  });
}

function cardActivity(ref: ConversationReference, incident: ChatIncident): Activity {
  const activity = baseActivity(ref);
  const { contentType, content } = cardAttachment(incidentCard(incident, { interactive: true }));
  activity.attachments = [{ contentType, content }];
  // The notification preview and the text shown by clients that cannot draw the card.
  activity.summary = incidentText(incident).split('\n')[0];
  return activity;
}

/** The offer card; the on-call's `<at>` in it notifies through the card's mention entity (msteams.entities). */
function offerActivity(ref: ConversationReference, offer: ChatHandoffOffer): Activity {
  const activity = baseActivity(ref);
  const card = handoffOfferCard(offer, { interactive: true });
  const m = offer.open ? offer.oncall?.mention : null;
  const content = m
    ? {
        ...card,
        msteams: {
          width: 'Full' as const,
          entities: [
            {
              type: 'mention',
              text: `<at>${m.name.replace(/[<>]/g, '')}</at>`,
              mentioned: { id: m.id, name: m.name },
            },
          ],
        },
      }
    : card;
  activity.attachments = [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content }];
  activity.summary = card.fallbackText ?? `Hand-off ${offer.id}`;
  return activity;
}

async function withTimeout<T>(p: Promise<T>, ms: number, operation: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new IntegrationError('teams', operation, null, `no answer within ${ms} ms`, true)),
      ms,
    );
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
