import type { EmuRequest, EmuResponse } from '../http-util';
import { isRecord, parseJson } from '../http-util';
import { connectorError, type EmuActivity, type TeamsState } from './state';

/**
 * The Bot Connector endpoints the Agents SDK calls at `serviceUrl`
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference):
 * send to conversation, reply to activity, update activity, delete activity, create conversation.
 *
 * Threads as Teams makes them: only a conversation id `<channel>;messageid=<root id>` puts a post into the
 * thread of that root. "Reply to activity" on the bare channel id arrives as a new top-level post, as
 * reported for real Teams channels
 * (microsoft/botframework-sdk#6626; the Teams SDK's `Reply` builds the same threaded conversation id).
 */
export function connectorApi(req: EmuRequest, state: TeamsState, now: () => number): EmuResponse | null {
  const m = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(req.path);
  if (!m) return null;
  const conversationId = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
  const activityId = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
  if (conversationId === undefined) {
    if (req.method === 'POST') return createConversation(req, state, now);
    return connectorError(405, 'MethodNotAllowed', `${req.method} /v3/conversations is not supported here`);
  }
  if (activityId === undefined) {
    if (req.method !== 'POST') return connectorError(405, 'MethodNotAllowed', 'use POST to send an activity');
    return store(req, state, now, conversationId);
  }
  // The activity id in the path does not thread: only `;messageid=` in the conversation id does.
  if (req.method === 'POST') return store(req, state, now, conversationId);
  if (req.method === 'PUT') return update(req, state, conversationId, activityId);
  if (req.method === 'DELETE') {
    const list = state.conversations.get(threadOf(conversationId).channel) ?? [];
    const idx = list.findIndex((a) => a.id === activityId);
    if (idx < 0) return connectorError(404, 'ActivityNotFound', `no activity ${activityId}`);
    list.splice(idx, 1);
    return { status: 200, body: {} };
  }
  return connectorError(405, 'MethodNotAllowed', `${req.method} is not supported on an activity`);
}

function readActivity(
  req: EmuRequest,
): { ok: true; activity: Record<string, unknown> } | { ok: false; response: EmuResponse } {
  let body: unknown;
  try {
    body = parseJson(req.body);
  } catch {
    return { ok: false, response: connectorError(400, 'BadSyntax', 'body is not valid JSON') };
  }
  if (!isRecord(body))
    return { ok: false, response: connectorError(400, 'BadSyntax', 'body must be an activity') };
  if (typeof body.type !== 'string' || body.type === '')
    return { ok: false, response: connectorError(400, 'BadArgument', 'activity type is required') };
  return { ok: true, activity: body };
}

/** `<channel>;messageid=<root>` → the channel and the thread's root id; a bare id has no root. */
export function threadOf(conversationId: string): { channel: string; root: string | null } {
  const at = conversationId.indexOf(';messageid=');
  return at < 0
    ? { channel: conversationId, root: null }
    : { channel: conversationId.slice(0, at), root: conversationId.slice(at + ';messageid='.length) };
}

function store(req: EmuRequest, state: TeamsState, now: () => number, conversationId: string): EmuResponse {
  const read = readActivity(req);
  if (!read.ok) return read.response;
  const activity = read.activity;
  const { channel, root } = threadOf(conversationId);
  const list = state.conversations.get(channel) ?? [];
  // Roots the emulator never saw are accepted: they are user messages posted by Teams itself.
  const id = String(state.nextId++);
  const entry: EmuActivity = {
    id,
    conversationId,
    replyToId: root,
    activity: { ...activity, id },
    history: [],
    authorization: req.headers.authorization ?? null,
    at: now(),
  };
  list.push(entry);
  state.conversations.set(channel, list);
  return { status: 201, body: { id } };
}

function update(req: EmuRequest, state: TeamsState, conversationId: string, activityId: string): EmuResponse {
  const read = readActivity(req);
  if (!read.ok) return read.response;
  const activity = read.activity;
  const entry = state.conversations.get(threadOf(conversationId).channel)?.find((a) => a.id === activityId);
  if (!entry)
    return connectorError(404, 'ActivityNotFound', `no activity ${activityId} in ${conversationId}`);
  entry.history.push(entry.activity);
  entry.activity = { ...activity, id: activityId };
  return { status: 200, body: { id: activityId } };
}

/** Creates a conversation (1:1 or a new channel thread) and posts its first activity when one is given. */
function createConversation(req: EmuRequest, state: TeamsState, now: () => number): EmuResponse {
  let body: unknown;
  try {
    body = parseJson(req.body);
  } catch {
    return connectorError(400, 'BadSyntax', 'body is not valid JSON');
  }
  if (!isRecord(body)) return connectorError(400, 'BadSyntax', 'body must be ConversationParameters');
  const channel =
    isRecord(body.channelData) && isRecord(body.channelData.channel) ? body.channelData.channel.id : null;
  const conversationId =
    typeof channel === 'string' ? `${channel};messageid=${state.nextId}` : `a:emu-${state.nextId++}`;
  // A new channel conversation is a new top-level post: its first activity is the thread's root.
  const key = typeof channel === 'string' ? channel : conversationId;
  state.conversations.set(key, state.conversations.get(key) ?? []);
  let activityId: string | undefined;
  if (isRecord(body.activity)) {
    activityId = String(state.nextId++);
    state.conversations.get(key)!.push({
      id: activityId,
      conversationId,
      replyToId: null,
      activity: { ...body.activity, id: activityId },
      history: [],
      authorization: req.headers.authorization ?? null,
      at: now(),
    });
  }
  return { status: 201, body: { id: conversationId, activityId, serviceUrl: req.baseUrl } };
}
