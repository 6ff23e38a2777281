import type { ConversationReference } from '@microsoft/agents-activity';
import type { Provider } from '../../../src/config/providers';
import type { ConversationReferenceSink } from '../../teams/conversation-references';
import { SANDBOX_IDENTITIES } from '../sandbox-identities';

/**
 * The providers' Teams channels live in the connector emulator on the bridge's server, where nobody can
 * install the app: save a conversation reference for each channel the store does not know yet, as the
 * install would, so that the bot can post there.
 */
export async function seedTeamsChannels(o: {
  providers: Provider[];
  /** The bridge's own URL; the emulator is mounted below it. */
  origin: string;
  known(conversationId: string): Promise<boolean>;
  references: ConversationReferenceSink;
}): Promise<void> {
  const { path, bot } = SANDBOX_IDENTITIES.teams;
  for (const p of o.providers) {
    const id = p.chat?.teamsChannel;
    if (!id || (await o.known(id))) continue;
    // `bot` is what Teams sends in an install activity; the SDK's type names that account `agent`.
    const reference: ConversationReference & { bot: { id: string; name: string } } = {
      conversation: { id, name: p.displayName ?? p.name, conversationType: 'channel' },
      serviceUrl: `${o.origin}${path}/`,
      channelId: 'msteams',
      bot: { ...bot },
    };
    await o.references.save(reference);
  }
}
