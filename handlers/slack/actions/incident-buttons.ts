import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { CHAT_ACTIONS, SHIFT_ACK_ACTION, type ChatAction } from '../../../src/ports/chat';
import type { types } from '@slack/bolt';
import { dialogFor, slackActor, type SlackHandlerDeps } from '../slack-deps';

/** Button value → action: `42` for the incident buttons, `42:3` for runbook step 3 (0-based). */
export function actionFromButton(actionId: string, value: string | undefined): ChatAction | null {
  const m = /^(\d+)(?::(\d+))?$/.exec(value ?? '');
  if (!m) return null;
  const incidentId = Number(m[1]);
  switch (actionId) {
    case CHAT_ACTIONS.ack:
      return { verb: 'ack', incidentId };
    case CHAT_ACTIONS.resolve:
      return { verb: 'resolve', incidentId, note: null };
    case CHAT_ACTIONS.handoff:
      return { verb: 'handoff', incidentId };
    case CHAT_ACTIONS.step:
      return m[2] === undefined ? null : { verb: 'step', incidentId, step: Number(m[2]) };
    default:
      return null;
  }
}

/**
 * Acknowledge · Hand off · Resolve and the runbook "Done" buttons on incident messages. Acked as soon
 * as the action is committed (well inside Slack's 3 s); the outcome goes to the clicking user as an
 * ephemeral message, the shared message is redrawn by the
 * outbox. Resolve opens the note dialog, Hand off the hand-off dialog.
 */
export function registerIncidentButtons(app: App, deps: SlackHandlerDeps): void {
  const ids = Object.values(CHAT_ACTIONS);
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: new RegExp(`^(${ids.join('|')})$`) },
    async ({ ack, body, action, client, respond }) => {
      const parsed = actionFromButton(action.action_id, action.value);
      if (!parsed) {
        await ack();
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'This button is not valid any more.',
        });
        return;
      }
      const actor = await slackActor(deps, body.user.id);
      // Committed before the ack: once Slack hears 200, a crash cannot lose the click.
      const result = await deps.commands.act(actor, parsed);
      await ack();
      const dialog = dialogFor(deps, result);
      if (dialog) {
        await client.views.open({ trigger_id: body.trigger_id, view: dialog as types.View });
        return;
      }
      const msg = deps.present.result(
        result.kind === 'incident' ? { kind: 'text', ok: true, text: result.text } : result,
      );
      const channel = body.channel?.id ?? body.container?.channel_id;
      if (channel)
        await client.chat.postEphemeral({
          channel,
          user: body.user.id,
          text: msg.text,
          ...(msg.blocks ? { blocks: msg.blocks as never } : {}),
        });
      else await respond({ response_type: 'ephemeral', replace_original: false, text: msg.text });
    },
  );
}

/** The Acknowledge button on shift handovers: `shift ack <id>` as the clicking user, answered to them alone. */
export function registerShiftButtons(app: App, deps: SlackHandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: SHIFT_ACK_ACTION },
    async ({ ack, body, action, respond }) => {
      const id = /^\d+$/.test(action.value ?? '') ? action.value : null;
      const actor = await slackActor(deps, body.user.id);
      // Committed before the ack, like every button.
      const result = id
        ? await deps.commands.run(actor, `shift ack ${id}`)
        : ({ kind: 'text', ok: false, text: 'This button is not valid any more.' } as const);
      await ack();
      const msg = deps.present.result(result);
      await respond({ response_type: 'ephemeral', replace_original: false, text: msg.text });
    },
  );
}
