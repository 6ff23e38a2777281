import type { ChatActor, ChatIncident, CommandResult } from '../../src/ports/chat';
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
  store: Store;
  logger: Logger;
  now: () => Date;
  /** Display name and e-mail of a Slack user (users.info, cached). */
  user(userId: string): Promise<{ name: string; email: string | null }>;
  present: {
    result(r: CommandResult): SlackMessage;
    resolveModal(incident: ChatIncident): Record<string, unknown>;
    home(mine: ChatIncident[], queue: ChatIncident[]): Record<string, unknown>;
  };
  /** Posts the report files into the channel (files.getUploadURLExternal + completeUploadExternal). */
  uploadFiles(
    channel: string,
    files: { name: string; content: Buffer; title: string }[],
    comment: string,
  ): Promise<void>;
}

/** The chat actor behind a Slack user id. */
export async function slackActor(deps: SlackHandlerDeps, userId: string): Promise<ChatActor> {
  const u = await deps.user(userId).catch(() => ({ name: userId, email: null }));
  return { platform: 'slack', userId, name: u.name, email: u.email };
}
