import type { App } from '@slack/bolt';
import { RESOLVE_VIEW_ID } from '../../../src/ports/chat';
import { slackActor, type SlackHandlerDeps } from '../slack-deps';

/**
 * The "resolve with a note" dialog. Validation errors are shown in the dialog (response_action
 * "errors"); on success the dialog closes and the user gets the outcome as a DM from the app.
 */
export function registerResolveNoteView(app: App, deps: SlackHandlerDeps): void {
  app.view(RESOLVE_VIEW_ID, async ({ ack, view, body, client }) => {
    const incidentId = Number(view.private_metadata);
    const note = view.state.values.note?.note?.value?.trim() ?? '';
    if (!Number.isInteger(incidentId) || incidentId <= 0) {
      await ack({
        response_action: 'errors',
        errors: { note: 'This dialog lost its incident; run /itsm resolve again.' },
      });
      return;
    }
    if (note.length < 3) {
      await ack({ response_action: 'errors', errors: { note: 'Say what fixed it (at least a few words).' } });
      return;
    }
    const actor = await slackActor(deps, body.user.id);
    const result = await deps.commands.act(actor, { verb: 'resolve', incidentId, note });
    if (result.kind === 'text' && !result.ok) {
      await ack({ response_action: 'errors', errors: { note: result.text.slice(0, 150) } });
      return;
    }
    await ack({ response_action: 'clear' });
    const msg = deps.present.result(
      result.kind === 'incident' ? { kind: 'text', ok: true, text: result.text } : result,
    );
    await client.chat.postMessage({ channel: body.user.id, text: msg.text });
  });
}
