import type { ConversationReference } from '@microsoft/agents-activity';
import { z } from 'zod';
import type { Clock } from '../../src/ports/clock';
import type { Conversations } from '../../src/ports/conversations';

/**
 * Where the bot may post proactively: the conversation references captured when the app was installed in
 * a team, chat or personal scope (or when someone messaged it). The store backs this in production.
 */
export interface ConversationReferences {
  /** The reference for a Teams conversation id (`19:…@thread.tacv2`, `a:…`), null when never seen. */
  get(conversationId: string): Promise<ConversationReference | null>;
}

/** The handler's side: upsert by `conversation.id`; the latest `serviceUrl` wins (it can move regions). */
export interface ConversationReferenceSink {
  save(ref: ConversationReference): Promise<void>;
}

/** In-memory references for tests and the sandbox (lost on restart: reinstall or message the bot). */
export function memoryConversationReferences(): ConversationReferences &
  ConversationReferenceSink & { readonly all: ReadonlyMap<string, ConversationReference> } {
  const all = new Map<string, ConversationReference>();
  return {
    all,
    async get(conversationId) {
      return all.get(conversationId) ?? null;
    },
    async save(ref) {
      all.set(ref.conversation.id, ref);
    },
  };
}

const Account = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
  tenantId: z.string().optional(),
  role: z.string().optional(),
});
/** The Bot Framework ConversationReference as stored (the SDK does not export its own schema). */
const StoredReference = z.looseObject({
  activityId: z.string().optional(),
  user: Account.optional(),
  locale: z.string().optional(),
  agent: Account.nullish(),
  conversation: Account.extend({
    id: z.string(),
    conversationType: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  channelId: z.string(),
  serviceUrl: z.string().optional(),
});

/**
 * References kept in the store, so proactive cards survive a restart. What comes back is checked with
 * the Bot Framework's shape (a stored row this version cannot read counts as never seen: the bot
 * gets it again with the next message or install).
 */
export function storedConversationReferences(
  conversations: Conversations,
  clock: Clock,
): ConversationReferences & ConversationReferenceSink {
  return {
    async get(conversationId) {
      const stored = await conversations.get(conversationId);
      const parsed = StoredReference.safeParse(stored?.reference);
      return parsed.success ? parsed.data : null;
    },
    async save(ref) {
      await conversations.save({
        id: ref.conversation.id,
        platform: 'teams',
        name: ref.conversation.name ?? null,
        reference: ref,
        at: clock.now().toISOString(),
      });
    },
  };
}
