import { randomBytes } from 'node:crypto';
import { isRecord, parseJson, type EmuRequest, type EmuResponse } from '../http-util';
import { validateBlocks } from './block-kit';
import { addMessage, findChannel, findMessage, type EmuResponseUrl, type SlackState } from './state';

/** Path of the `response_url` sink under the mount prefix. */
export const RESPONSES_PATH = '/_responses/';

/** Slack accepts up to 5 answers per response_url within 30 minutes. */
const MAX_POSTS = 5;
const TTL_MS = 30 * 60 * 1000;

export interface ResponseUrlOptions {
  /** Where an `in_channel` answer appears. */
  channel?: string;
  /** Who sees an `ephemeral` answer. */
  user?: string;
  /** For interactions on a message: what `replace_original`/`delete_original` act on. */
  messageTs?: string;
}

/** Registers a response URL as Slack puts it into slash-command and interaction payloads. */
export function mintResponseUrl(
  state: SlackState,
  baseUrl: string,
  nowMs: number,
  o: ResponseUrlOptions = {},
): { id: string; url: string } {
  const id = `${state.teamId}-${randomBytes(8).toString('hex')}`;
  state.responseUrls.set(id, {
    id,
    channel: o.channel ?? null,
    user: o.user ?? null,
    messageTs: o.messageTs ?? null,
    createdAt: nowMs,
    posts: [],
  });
  return { id, url: `${baseUrl}${RESPONSES_PATH}${id}` };
}

const fail = (status: number, error: string): EmuResponse => ({ status, body: { ok: false, error } });

/** Records what Slack would show for an answer to a response_url (and applies it to the channel). */
export function receiveResponse(req: EmuRequest, state: SlackState, nowMs: number): EmuResponse {
  const id = req.path.slice(RESPONSES_PATH.length);
  const entry = state.responseUrls.get(id);
  if (req.method !== 'POST' || !entry) return fail(404, 'invalid_url');
  if (nowMs - entry.createdAt > TTL_MS) return fail(404, 'expired_url');
  if (entry.posts.length >= MAX_POSTS) return fail(404, 'used_url');
  let body: unknown;
  try {
    body = parseJson(req.body);
  } catch {
    return fail(400, 'invalid_payload');
  }
  if (!isRecord(body)) return fail(400, 'invalid_payload');
  const text = typeof body.text === 'string' ? body.text : '';
  const deleteOriginal = body.delete_original === true || body.delete_original === 'true';
  if (!text && body.blocks === undefined && !deleteOriginal) return fail(400, 'no_text');
  if (body.blocks !== undefined) {
    const errors = validateBlocks(body.blocks, 'message');
    if (errors.length > 0) return { status: 400, body: { ok: false, error: 'invalid_blocks', errors } };
  }
  const post = {
    at: nowMs,
    responseType: body.response_type === 'in_channel' ? ('in_channel' as const) : ('ephemeral' as const),
    text,
    blocks: Array.isArray(body.blocks) ? body.blocks : [],
    replaceOriginal: body.replace_original === true || body.replace_original === 'true',
    deleteOriginal,
    threadTs: typeof body.thread_ts === 'string' ? body.thread_ts : null,
  };
  entry.posts.push(post);
  applyToChannel(state, entry, post, nowMs);
  return { status: 200, body: { ok: true } };
}

function applyToChannel(
  state: SlackState,
  entry: EmuResponseUrl,
  post: EmuResponseUrl['posts'][number],
  nowMs: number,
): void {
  const channel = entry.channel ? findChannel(state, entry.channel) : undefined;
  if (!channel) return;
  const original = entry.messageTs ? findMessage(channel, entry.messageTs) : undefined;
  if (original && post.deleteOriginal) {
    channel.messages = channel.messages.filter((m) => m !== original);
    state.deleted.push(original);
  } else if (original && post.replaceOriginal) {
    original.updates.push({ at: nowMs, text: original.text, blocks: original.blocks });
    original.text = post.text;
    original.blocks = post.blocks;
  } else if (post.responseType === 'in_channel') {
    addMessage(state, nowMs, channel, { text: post.text, blocks: post.blocks });
  }
}
