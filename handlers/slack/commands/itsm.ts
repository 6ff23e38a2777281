import type { App } from '@slack/bolt';
import type { types } from '@slack/bolt';
import { dialogFor, slackActor, type SlackHandlerDeps } from '../slack-deps';

/**
 * `/itsm <command>`: answered within Slack's 3 s in the HTTP response itself (ephemeral unless the
 * answer is for the channel). A missing resolve note or a hand-off opens its dialog; the report is built after the
 * ack and uploaded to the channel.
 */
export function registerItsmCommand(app: App, deps: SlackHandlerDeps): void {
  app.command(/^\/itsm/, async ({ command, ack, respond, client }) => {
    const text = command.text.trim();
    if (/^report\b/i.test(text)) {
      await ack({ response_type: 'ephemeral', text: `Building the SLA report ${text.slice(6).trim()}…` });
      const actor = await slackActor(deps, command.user_id);
      const result = await deps.commands.run(actor, text);
      if (result.kind !== 'report') {
        await respond({ ...deps.present.result(result), response_type: 'ephemeral' });
        return;
      }
      const msg = deps.present.result(result);
      try {
        await deps.uploadFiles(
          command.channel_id,
          result.files.map((f) => ({ name: f.name, content: f.content, title: f.name })),
          msg.text,
        );
        await respond({ ...msg, response_type: 'ephemeral' });
      } catch (err) {
        deps.logger.warn('slack report upload failed', { error: (err as Error).message });
        await respond({
          response_type: 'ephemeral',
          text: `${msg.text}\nThe files could not be uploaded here (${(err as Error).message}); download them: ${result.headline.links.html}`,
        });
      }
      return;
    }
    const actor = await slackActor(deps, command.user_id);
    const result = await deps.commands.run(actor, text);
    // The ack follows the commit: a 200 means the command is durable.
    const dialog = dialogFor(deps, result);
    if (dialog) {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: dialog as types.View });
      return;
    }
    await ack(deps.present.result(result) as never);
  });
}
