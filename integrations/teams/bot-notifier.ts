import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import type { CloudAdapter, ConnectorClient, TurnContext } from '@microsoft/agents-hosting';
import type { JwtPayload } from 'jsonwebtoken';
import { IntegrationError } from '../../src/errors';
import type { ChatIncident, ChatMessageRef, ChatNotifier } from '../../src/ports/chat';
import type { Clock } from '../../src/ports/clock';
import { limitText } from '../../src/core/text/limit-text';
import type { ConversationReferences } from './conversation-references';
import { cardAttachment } from './presenters/adaptive-card';
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
 * `POST …/activities/{activityId}` (threaded reply). TurnContext.sendActivity is not used for the post: a
 * continuation turn sets `replyToId` to a random id, which would turn every new card into a "reply".
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
    async reply(msg, text) {
      await withConnector('reply', msg.channel, async (client, ref) => {
        const activity = baseActivity(ref);
        activity.text = limitText(text, TEAMS_MAX_TEXT_BYTES, (c) => Buffer.byteLength(c));
        activity.textFormat = 'plain';
        activity.replyToId = msg.ts;
        await client.replyToActivity(ref.conversation.id, msg.ts, activity);
      });
    },
  };
}

/**
 * The identity the SDK continues as. With an app id it acquires an MSAL token for that app; an identity
 * without `aud` is the SDK's anonymous mode (no Authorization header), used against the sandbox emulator.
 */
function identity(adapter: CloudAdapter): string | JwtPayload {
  return adapter.getClientId() ?? {};
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
