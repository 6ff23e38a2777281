import type { ConversationReference } from '@microsoft/agents-activity';

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
