/** A stored conversation reference (Teams: JSON from the Agents SDK), by conversation id. */
export interface Conversation {
  id: string;
  name: string | null;
  reference: unknown;
}

/** Teams conversation references, saved when the bot is installed or messaged. */
export interface Conversations {
  save(c: Conversation & { platform: string; at: string }): Promise<void>;
  get(id: string): Promise<Conversation | null>;
}
