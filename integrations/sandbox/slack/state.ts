import type { CallLogEntry } from '../faults';

/** Seed for a conversation. Public channels the bot is not in accept posts only with `chat:write.public`. */
export interface SeedChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Whether the bot user is a member (default true). */
  isMember?: boolean;
}

export interface SeedUser {
  id: string;
  name: string;
  real_name?: string;
  email?: string | null;
  tz?: string;
  isBot?: boolean;
  deleted?: boolean;
}

/** A file as `files.completeUploadExternal` shares it; `bytes` is what was POSTed to the upload URL. */
export interface EmuFile {
  id: string;
  filename: string;
  title: string;
  /** The `length` announced in `files.getUploadURLExternal`. */
  declaredLength: number;
  bytes: Buffer | null;
  mimetype: string;
  completed: boolean;
  channel: string | null;
  threadTs: string | null;
  /** The message that shared it (a channel message or a thread reply). */
  messageTs: string | null;
}

/** One earlier version of an edited message (what `chat.update` replaced). */
export interface EmuRevision {
  at: number;
  text: string;
  blocks: unknown[];
}

export interface EmuMessage {
  channel: string;
  ts: string;
  /** The bot user for our posts; a seeded user for `postAsUser`. */
  user: string;
  botId: string | null;
  text: string;
  blocks: unknown[];
  threadTs: string | null;
  replyBroadcast: boolean;
  /** Thread replies, oldest first (only on parent messages). */
  replies: EmuMessage[];
  /** Earlier versions, oldest first; the current version is `text`/`blocks`. */
  updates: EmuRevision[];
  files: EmuFile[];
  metadata: unknown;
}

export interface EmuChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isMember: boolean;
  /** For DMs opened by posting to a user id. */
  dmUser: string | null;
  /** Top-level messages, oldest first; replies live under their parent. */
  messages: EmuMessage[];
}

export interface EmuEphemeral {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks: unknown[];
  threadTs: string | null;
}

export interface EmuView {
  id: string;
  type: 'modal' | 'home';
  /** The user the modal was opened for (from its trigger) or the Home tab belongs to. */
  user: string;
  callbackId: string;
  privateMetadata: string;
  externalId: string | null;
  hash: string;
  /** The view as last sent (title, blocks, submit, …). */
  view: Record<string, unknown>;
  /** Earlier versions from views.update / repeated views.publish. */
  history: Record<string, unknown>[];
}

/** What an answer posted to a `response_url` would show. */
export interface EmuResponsePost {
  at: number;
  responseType: 'ephemeral' | 'in_channel';
  text: string;
  blocks: unknown[];
  replaceOriginal: boolean;
  deleteOriginal: boolean;
  threadTs: string | null;
}

export interface EmuResponseUrl {
  id: string;
  channel: string | null;
  user: string | null;
  /** The message an interaction came from (target of `replace_original`/`delete_original`). */
  messageTs: string | null;
  createdAt: number;
  posts: EmuResponsePost[];
}

/** A Slack-level record of each Web API call (the HTTP-level one is `callLog`). */
export interface SlackCall {
  at: number;
  method: string;
  channel: string | null;
  ok: boolean;
  error: string | null;
  /** HTTP status: 200 for `ok:false` errors, 429 when rate limited. */
  status: number;
}

/** Everything the emulator holds; tests read it directly. */
export interface SlackState {
  teamId: string;
  teamName: string;
  botUserId: string;
  botId: string;
  appId: string;
  tokens: Set<string>;
  scopes: Set<string>;
  channels: EmuChannel[];
  users: SeedUser[];
  usergroups: Map<string, string[]>;
  ephemerals: EmuEphemeral[];
  deleted: EmuMessage[];
  views: EmuView[];
  /** Current Home tab per user id. */
  homes: Map<string, EmuView>;
  files: EmuFile[];
  responseUrls: Map<string, EmuResponseUrl>;
  /** trigger_id → user and expiry (epoch ms); consumed by views.open. */
  triggers: Map<string, { user: string; expiresAt: number; used: boolean }>;
  calls: SlackCall[];
  callLog: CallLogEntry[];
  /** Last `ts` handed out, in microseconds, to keep them unique and increasing. */
  lastTsMicros: number;
  nextId: number;
}

export const DEFAULT_CHANNELS: SeedChannel[] = [
  { id: 'C0SANDBOX01', name: 'itsm-alerts' },
  { id: 'C0SANDBOX02', name: 'dms-ops' },
];

export const DEFAULT_USERS: SeedUser[] = [
  { id: 'U0SANDBOX01', name: 'alice', real_name: 'Alice Example', email: 'alice@example.com' },
  { id: 'U0SANDBOX02', name: 'bob', real_name: 'Bob Example', email: 'bob@example.com' },
];

/** The scopes of manifest.yaml; a token lacking one gets `missing_scope` like on Slack. */
export const DEFAULT_SCOPES = [
  'chat:write',
  'chat:write.public',
  'commands',
  'users:read',
  'users:read.email',
  'usergroups:read',
  'files:write',
  'im:write',
];

export const findUser = (state: SlackState, id: string): SeedUser | undefined =>
  state.users.find((u) => u.id === id);

/** Channel by id (`C…`/`G…`/`D…`), by `#name` or by bare name. */
export function findChannel(state: SlackState, ref: string): EmuChannel | undefined {
  const name = ref.startsWith('#') ? ref.slice(1) : ref;
  return state.channels.find((c) => c.id === ref) ?? state.channels.find((c) => c.name === name);
}

/** A message or thread reply by `ts` within a channel. */
export function findMessage(channel: EmuChannel, ts: string): EmuMessage | undefined {
  for (const m of channel.messages) {
    if (m.ts === ts) return m;
    const reply = m.replies.find((r) => r.ts === ts);
    if (reply) return reply;
  }
  return undefined;
}

/** Slack `ts`: epoch seconds with six decimals, unique and increasing per workspace here. */
export function nextTs(state: SlackState, nowMs: number): string {
  const micros = Math.max(nowMs * 1000, state.lastTsMicros + 1);
  state.lastTsMicros = micros;
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

/**
 * Appends a message to a channel, or to `parent`'s thread: the one place that builds an EmuMessage.
 * Posts are the bot's unless `user` (with `botId: null`) says otherwise.
 */
export function addMessage(
  state: SlackState,
  nowMs: number,
  channel: EmuChannel,
  m: {
    text: string;
    blocks?: unknown[];
    parent?: EmuMessage;
    user?: string;
    botId?: string | null;
    replyBroadcast?: boolean;
    files?: EmuFile[];
    metadata?: unknown;
  },
): EmuMessage {
  const message: EmuMessage = {
    channel: channel.id,
    ts: nextTs(state, nowMs),
    user: m.user ?? state.botUserId,
    botId: m.botId === undefined ? state.botId : m.botId,
    text: m.text,
    blocks: m.blocks ?? [],
    threadTs: m.parent?.ts ?? null,
    replyBroadcast: m.replyBroadcast ?? false,
    replies: [],
    updates: [],
    files: m.files ?? [],
    metadata: m.metadata ?? null,
  };
  if (m.parent) m.parent.replies.push(message);
  else channel.messages.push(message);
  return message;
}

/** Slack-style ids: a type letter and upper-case alphanumerics (`F0…`, `V0…`). */
export function nextId(state: SlackState, letter: string): string {
  return `${letter}0EMU${String(state.nextId++).padStart(6, '0')}`;
}
