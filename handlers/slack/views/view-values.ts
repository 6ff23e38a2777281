import type { AckFn, ViewOutput, ViewResponseAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { HANDOFF_INPUT_ACTION, type CommandResult } from '../../../src/ports/chat';
import type { SlackHandlerDeps } from '../slack-deps';

/**
 * Typed reads of `view.state.values[block][value]` (every input of our dialogs has the action id `value`):
 * a trimmed text or null when empty, a select's value, a date-time picker's epoch seconds as ISO.
 * Anything of another shape reads as empty, so a forged payload cannot smuggle in a non-string.
 */
export function blockValues(view: ViewOutput) {
  const raw = (block: string) => view.state?.values?.[block]?.[HANDOFF_INPUT_ACTION];
  return {
    text(block: string): string | null {
      const v = raw(block)?.value;
      return typeof v === 'string' && v.trim() ? v.trim() : null;
    },
    selected(block: string): string | null {
      const v = raw(block)?.selected_option?.value;
      return typeof v === 'string' && v ? v : null;
    },
    dateTime(block: string): string | null {
      const v = raw(block)?.selected_date_time;
      return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e11
        ? new Date(v * 1000).toISOString()
        : null;
    },
  };
}

/**
 * Answers a dialog submission after its use-case ran: a refusal is shown in the dialog under `field`,
 * success closes it and tells the user by a DM from the app.
 */
export async function answerSubmission(o: {
  ack: AckFn<ViewResponseAction> | AckFn<void>;
  client: WebClient;
  deps: SlackHandlerDeps;
  result: CommandResult;
  user: string;
  field: string;
}): Promise<void> {
  const ack = o.ack as AckFn<ViewResponseAction>;
  if (o.result.kind === 'text' && !o.result.ok) {
    await ack({ response_action: 'errors', errors: { [o.field]: o.result.text.slice(0, 150) } });
    return;
  }
  await ack({ response_action: 'clear' });
  const msg = o.deps.present.result(
    o.result.kind === 'incident' ? { kind: 'text', ok: true, text: o.result.text } : o.result,
  );
  await o.client.chat.postMessage({ channel: o.user, text: msg.text });
}
