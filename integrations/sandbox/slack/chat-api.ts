import type { EmuResponse } from '../http-util';
import { validateBlocks } from './block-kit';
import {
  bool,
  jsonArg,
  requireScope,
  slackFail,
  slackInvalid,
  slackOk,
  str,
  type SlackContext,
} from './context';
import {
  addMessage,
  findChannel,
  findMessage,
  findUser,
  nextTs,
  type EmuChannel,
  type EmuMessage,
} from './state';

/** Slack truncates beyond 40,000 characters and rejects much longer text with `msg_too_long`. */
const MAX_TEXT = 40000;

/** The channel a post goes to: an id, `#name`, a bare name, or a user id (the bot's DM with that user). */
export function resolveTarget(ctx: SlackContext, ref: string | undefined): EmuChannel | EmuResponse {
  if (!ref) return slackFail('channel_not_found');
  const found = findChannel(ctx.state, ref);
  if (found) return found;
  const user = findUser(ctx.state, ref);
  if (!user) return slackFail('channel_not_found');
  const dm: EmuChannel = {
    id: `D${user.id.slice(1)}`,
    name: user.id,
    isPrivate: true,
    isMember: true,
    dmUser: user.id,
    messages: [],
  };
  ctx.state.channels.push(dm);
  return dm;
}

/** Private channels the bot is not in do not exist for it; public ones need `chat:write.public`. */
function canPost(ctx: SlackContext, channel: EmuChannel): EmuResponse | null {
  if (channel.isMember) return null;
  if (channel.isPrivate) return slackFail('channel_not_found');
  return ctx.state.scopes.has('chat:write.public') ? null : slackFail('not_in_channel');
}

/** `text` and `blocks` of a message write; `no_text` when both are missing. */
function content(
  ctx: SlackContext,
): { text: string | undefined; blocks: unknown[] | undefined } | EmuResponse {
  const text = str(ctx.params, 'text');
  let blocks: unknown;
  try {
    blocks = jsonArg(ctx.params, 'blocks');
  } catch {
    return slackFail('invalid_blocks_format');
  }
  if (!text && blocks === undefined && ctx.params.attachments === undefined) return slackFail('no_text');
  if (text && text.length > MAX_TEXT) return slackFail('msg_too_long');
  if (blocks !== undefined) {
    const errors = validateBlocks(blocks, 'message');
    if (errors.length > 0) return slackInvalid('invalid_blocks', errors);
  }
  return { text, blocks: blocks as unknown[] | undefined };
}

export function renderMessage(ctx: SlackContext, m: EmuMessage): Record<string, unknown> {
  return {
    type: 'message',
    ...(m.botId ? { subtype: 'bot_message', bot_id: m.botId, app_id: ctx.state.appId } : {}),
    user: m.user,
    team: ctx.state.teamId,
    text: m.text,
    blocks: m.blocks,
    ts: m.ts,
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.files.length > 0
      ? { files: m.files.map((f) => ({ id: f.id, name: f.filename, title: f.title })) }
      : {}),
  };
}

/** The channel a post goes to and its content, or Slack's error (channel, membership, then content). */
function postTarget(ctx: SlackContext) {
  const channel = resolveTarget(ctx, str(ctx.params, 'channel'));
  if ('status' in channel) return channel;
  const blocked = canPost(ctx, channel);
  if (blocked) return blocked;
  const c = content(ctx);
  if ('status' in c) return c;
  return { channel, c };
}

export function postMessage(ctx: SlackContext): EmuResponse {
  const denied = requireScope(ctx, 'chat:write');
  if (denied) return denied;
  const target = postTarget(ctx);
  if ('status' in target) return target;
  const { channel, c } = target;
  const threadTs = str(ctx.params, 'thread_ts') || null;
  let parent: EmuMessage | undefined;
  if (threadTs) {
    if (!/^\d+\.\d+$/.test(threadTs)) return slackFail('invalid_thread_ts');
    // A reply to a reply lands in the parent's thread, as in Slack.
    parent = channel.messages.find((m) => m.ts === threadTs || m.replies.some((r) => r.ts === threadTs));
    if (!parent) return slackFail('thread_not_found');
  }
  const message = addMessage(ctx.state, ctx.now(), channel, {
    text: c.text ?? '',
    blocks: c.blocks ?? [],
    ...(parent ? { parent } : {}),
    replyBroadcast: bool(ctx.params, 'reply_broadcast'),
    metadata: ctx.params.metadata ?? null,
  });
  return slackOk({ channel: channel.id, ts: message.ts, message: renderMessage(ctx, message) });
}

/** Our own message in a channel given by id (`chat.update`/`chat.delete` do not take names). */
function ownMessage(ctx: SlackContext, cantError: string): EmuMessage | EmuResponse {
  const ref = str(ctx.params, 'channel');
  const channel = ref ? ctx.state.channels.find((c) => c.id === ref) : undefined;
  if (!channel) return slackFail('channel_not_found');
  const message = findMessage(channel, str(ctx.params, 'ts') ?? '');
  if (!message) return slackFail('message_not_found');
  if (message.user !== ctx.state.botUserId) return slackFail(cantError);
  return message;
}

export function updateMessage(ctx: SlackContext): EmuResponse {
  const denied = requireScope(ctx, 'chat:write');
  if (denied) return denied;
  const message = ownMessage(ctx, 'cant_update_message');
  if ('status' in message) return message;
  const c = content(ctx);
  if ('status' in c) return c;
  message.updates.push({ at: ctx.now(), text: message.text, blocks: message.blocks });
  // Omitted fields keep their previous value; an empty blocks array removes the blocks.
  if (c.text !== undefined) message.text = c.text;
  if (c.blocks !== undefined) message.blocks = c.blocks;
  return slackOk({
    channel: message.channel,
    ts: message.ts,
    text: message.text,
    message: renderMessage(ctx, message),
  });
}

export function deleteMessage(ctx: SlackContext): EmuResponse {
  const denied = requireScope(ctx, 'chat:write');
  if (denied) return denied;
  const message = ownMessage(ctx, 'cant_delete_message');
  if ('status' in message) return message;
  const channel = findChannel(ctx.state, message.channel);
  if (channel) {
    channel.messages = channel.messages.filter((m) => m !== message);
    for (const m of channel.messages) m.replies = m.replies.filter((r) => r !== message);
  }
  ctx.state.deleted.push(message);
  return slackOk({ channel: message.channel, ts: message.ts });
}

export function postEphemeral(ctx: SlackContext): EmuResponse {
  const denied = requireScope(ctx, 'chat:write');
  if (denied) return denied;
  const userId = str(ctx.params, 'user');
  if (!userId || !findUser(ctx.state, userId)) return slackFail('user_not_found');
  const target = postTarget(ctx);
  if ('status' in target) return target;
  const { channel, c } = target;
  const ts = nextTs(ctx.state, ctx.now());
  ctx.state.ephemerals.push({
    channel: channel.id,
    user: userId,
    ts,
    text: c.text ?? '',
    blocks: c.blocks ?? [],
    threadTs: str(ctx.params, 'thread_ts') || null,
  });
  return slackOk({ message_ts: ts });
}
