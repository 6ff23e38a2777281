import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import {
  ActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from '@microsoft/agents-hosting';
import type { ChatActor, ChatCommands, CommandResult } from '../../src/ports/chat';
import { SHIFT_ACK_ACTION } from '../../src/ports/chat';
import type { Logger } from '../../src/ports/logger';
import { CardActionData, cardDataSchema, toChatAction } from './activity-schema';
import { handoffInvoke } from './handoff-invoke';
import { commandText } from './mention';

const CARD = 'application/vnd.microsoft.card.adaptive';

/** Draws a command result as an Adaptive Card (integrations/teams/presenters, wired in main.ts). */
export type RenderResult = (result: CommandResult) => object;

export interface TeamsBotDeps {
  commands: ChatCommands;
  references: { save(ref: ConversationReference): Promise<void> };
  render: RenderResult;
  logger: Logger;
}

/**
 * What the bot does per activity: typed commands and Action.Submit in messages, Action.Execute invokes
 * (answered with the refreshed card), and conversation/installation updates that tell us where we may post.
 */
export class TeamsBot extends ActivityHandler {
  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      await this.saveReference(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.saveReference(context);
      await next();
    });
  }

  /** The Acknowledge button of a shift handover card: `shift ack <id>`, answered as a message. */
  private async shiftAck(context: TurnContext, data: unknown): Promise<AdaptiveCardInvokeResponse> {
    const id = (data as { handoverId?: unknown } | undefined)?.handoverId;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1)
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'handoverId: expected a positive integer' },
      };
    const result = await this.deps.commands.run(actorOf(context), `shift ack ${id}`);
    const text = result.kind === 'text' ? result.text : 'Done.';
    // Teams expects a string here; the SDK types `value` as an object for the card case only.
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: text as unknown as Record<string, unknown>,
    };
  }

  private async message(context: TurnContext): Promise<void> {
    const actor = actorOf(context);
    const value = CardActionData.safeParse(context.activity.value);
    let result: CommandResult;
    try {
      if (value.success) result = await this.deps.commands.act(actor, toChatAction(value.data));
      else result = await this.deps.commands.run(actor, commandText(context.activity.text ?? '') || 'help');
    } catch (err) {
      this.deps.logger.error('teams: command failed', { error: (err as Error).message, user: actor.userId });
      result = {
        kind: 'text',
        ok: false,
        text: 'That did not work: the bridge could not process it. Try again shortly.',
      };
    }
    await context.sendActivity(
      Activity.fromObject({
        type: 'message',
        attachments: [{ contentType: CARD, content: this.deps.render(result) }],
      }),
    );
  }

  /**
   * Action.Execute: an incident answer replaces the card in place; a refusal or note comes back as a
   * message so that the incident card stays (Universal Actions response types).
   */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invoke: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    if (invoke.action.verb === SHIFT_ACK_ACTION) return this.shiftAck(context, invoke.action.data);
    const merged = { verb: invoke.action.verb, ...(invoke.action.data ?? {}) };
    const data = cardDataSchema(merged).safeParse(merged);
    if (!data.success)
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: {
          code: 'BadRequest',
          message: data.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        },
      };
    const actor = actorOf(context);
    try {
      const result =
        (await handoffInvoke(this.deps.commands, actor, merged)) ??
        (await this.deps.commands.act(actor, toChatAction(CardActionData.parse(merged))));
      if (result.kind === 'text') {
        // Teams expects a string here; the SDK types `value` as an object for the card case only.
        const message = result.text as unknown as Record<string, unknown>;
        return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message };
      }
      return { statusCode: 200, type: CARD, value: this.deps.render(result) as Record<string, unknown> };
    } catch (err) {
      this.deps.logger.error('teams: card action failed', {
        error: (err as Error).message,
        user: actor.userId,
      });
      return {
        statusCode: 500,
        type: 'application/vnd.microsoft.error',
        value: {
          code: 'InternalError',
          message: 'The bridge could not process the action. Try again shortly.',
        },
      };
    }
  }

  /**
   * Keeps the reference for proactive posts. A channel thread id (`…;messageid=…`) is reduced to the
   * channel; a channel event (created, renamed) also yields a reference for that channel.
   */
  private async saveReference(context: TurnContext): Promise<void> {
    const ref = context.activity.getConversationReference();
    const base: ConversationReference = { ...ref, activityId: undefined };
    const conversationId = ref.conversation.id.split(';messageid=')[0]!;
    await this.deps.references.save({ ...base, conversation: { ...ref.conversation, id: conversationId } });
    const channelId = (context.activity.channelData as { channel?: { id?: unknown } } | undefined)?.channel
      ?.id;
    if (typeof channelId === 'string' && channelId !== conversationId)
      await this.deps.references.save({ ...base, conversation: { ...ref.conversation, id: channelId } });
  }
}

/** Actor = the Entra object id when Teams sends it (stable across apps), else the Teams user id. */
export function actorOf(context: TurnContext): ChatActor {
  const from = context.activity.from;
  return {
    platform: 'teams',
    userId: from?.aadObjectId ?? from?.id ?? 'unknown',
    name: from?.name ?? from?.id ?? 'unknown',
    email: null,
  };
}
