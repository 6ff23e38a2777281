import type { ChatActor, ChatIncident, CommandResult, HandoffForm } from '../../src/ports/chat';
import type { ChatCommandService } from '../../src/commands/chat-commands';
import type { Logger } from '../../src/ports/logger';
import type { Store } from '../../src/ports/store';

/** A Slack message body: fallback text plus Block Kit blocks. */
export interface SlackMessage {
  text: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
}

/** What the Slack listeners need; the composition root fills it from integrations/slack. */
export interface SlackHandlerDeps {
  commands: ChatCommandService;
  store: Pick<Store, 'requests'>;
  logger: Logger;
  now: () => Date;
  /** Display name and e-mail of a Slack user (users.info, cached). */
  user(userId: string): Promise<{ name: string; email: string | null }>;
  present: {
    result(r: CommandResult): SlackMessage;
    resolveModal(incident: ChatIncident): object;
    handoffModal(form: HandoffForm): object;
    handoffRejectModal(handoffId: number): object;
    home(mine: ChatIncident[], queue: ChatIncident[]): object;
  };
  /** Posts the report files into the channel (files.getUploadURLExternal + completeUploadExternal). */
  uploadFiles(
    channel: string,
    files: { name: string; content: Buffer; title: string }[],
    comment: string,
  ): Promise<void>;
}

/**
 * The dialog a command result asks for (resolve note, hand-off note), or null when it needs none. One
 * place for the slash command and the buttons, so both open the same dialogs.
 */
export function dialogFor(deps: SlackHandlerDeps, result: CommandResult): object | null {
  if (result.kind === 'needs_note') return deps.present.resolveModal(result.incident);
  if (result.kind === 'needs_handoff_note') return deps.present.handoffModal(result.form);
  return null;
}

/** How long a user look-up may take before we go on without name and e-mail (Slack's 3 s budget). */
const USER_LOOKUP_MS = 1500;

/**
 * The chat actor behind a Slack user id. When Slack is slow or the look-up fails, the action still
 * happens under the user id (authorization uses ids only); the tickets then name the id, unassigned.
 */
export async function slackActor(deps: SlackHandlerDeps, userId: string): Promise<ChatActor> {
  const fallback = { name: userId, email: null };
  let timer: NodeJS.Timeout | undefined;
  const u = await Promise.race([
    deps.user(userId).catch(() => fallback),
    new Promise<typeof fallback>((resolve) => {
      timer = setTimeout(() => resolve(fallback), USER_LOOKUP_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  return { platform: 'slack', userId, name: u.name, email: u.email };
}
