import type { CallLogEntry } from '../faults';

/** One activity as the connector emulator stored it, with every version an update wrote. */
export interface EmuActivity {
  id: string;
  /** The conversation id it was posted to, `;messageid=…` included. */
  conversationId: string;
  /** The thread's root id for a post into `<channel>;messageid=<root>`; null for a top-level post. */
  replyToId: string | null;
  /** The latest body the bot sent (after PUT updates). */
  activity: Record<string, unknown>;
  /** Earlier bodies, oldest first. */
  history: Record<string, unknown>[];
  /** The Authorization header it came with, null when anonymous. */
  authorization: string | null;
  at: number;
}

/** A card posted to a Workflows webhook. */
export interface EmuWorkflowPost {
  workflowId: string;
  payload: Record<string, unknown>;
  /** `attachments[0].content`: the Adaptive Card. */
  card: Record<string, unknown>;
  at: number;
}

export interface TeamsState {
  /** Activities per channel (or chat) id, threads included, in the order they were created. */
  conversations: Map<string, EmuActivity[]>;
  workflows: EmuWorkflowPost[];
  /** Every request with its status and injected fault (for Retry-After checks). */
  callLog: CallLogEntry[];
  nextId: number;
}

/** Bot Connector error envelope (ErrorResponse in the Bot Framework REST API). */
export const connectorError = (status: number, code: string, message: string) => ({
  status,
  body: { error: { code, message } },
});
