import { isRecord, type EmuRequest, type EmuResponse } from '../http-util';
import { jsonArg, requireScope, slackFail, slackInvalid, slackOk, str, type SlackContext } from './context';
import { addMessage, nextId, type EmuFile, type EmuMessage } from './state';

/** Path of the (unauthenticated, pre-signed in real life) upload URL under the mount prefix. */
export const UPLOAD_PATH = '/_upload/';

const MIME: Record<string, string> = {
  csv: 'text/csv',
  html: 'text/html',
  json: 'application/json',
  md: 'text/markdown',
  txt: 'text/plain',
  pdf: 'application/pdf',
  png: 'image/png',
};

const mimeOf = (filename: string) =>
  MIME[filename.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

/** Step 1 of the upload flow: announce name and length, get an `upload_url` and a file id. */
export function getUploadUrl(ctx: SlackContext): EmuResponse {
  const denied = requireScope(ctx, 'files:write');
  if (denied) return denied;
  const filename = str(ctx.params, 'filename');
  const length = Number(str(ctx.params, 'length'));
  const missing = [
    ...(filename ? [] : ['missing required field: filename']),
    ...(Number.isInteger(length) && length > 0 ? [] : ['length must be a positive integer']),
  ];
  if (!filename || missing.length > 0) return slackInvalid('invalid_arguments', missing);
  const file: EmuFile = {
    id: nextId(ctx.state, 'F'),
    filename,
    title: filename,
    declaredLength: length,
    bytes: null,
    mimetype: mimeOf(filename),
    completed: false,
    channel: null,
    threadTs: null,
    messageTs: null,
  };
  ctx.state.files.push(file);
  return slackOk({ upload_url: `${ctx.baseUrl}${UPLOAD_PATH}${file.id}`, file_id: file.id });
}

/** Step 2: the bytes, raw or as multipart (WebClient sends a form with one file part). */
export async function receiveUpload(req: EmuRequest, files: EmuFile[]): Promise<EmuResponse> {
  const id = req.path.slice(UPLOAD_PATH.length);
  const file = files.find((f) => f.id === id && !f.completed);
  if (req.method !== 'POST' || !file) return { status: 404, raw: 'Not Found' };
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  let bytes = req.body;
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(req.body, { headers: { 'content-type': type } }).formData();
    const part = [...form.values()][0];
    bytes =
      part === undefined
        ? Buffer.alloc(0)
        : typeof part === 'string'
          ? Buffer.from(part)
          : Buffer.from(await part.arrayBuffer());
  }
  file.bytes = bytes;
  return { status: 200, headers: { 'Content-Type': 'text/plain' }, raw: `OK - ${bytes.length}` };
}

/** Step 3: finish the uploads and share them in a channel or thread (one message for all files). */
export function completeUpload(ctx: SlackContext): EmuResponse {
  const denied = requireScope(ctx, 'files:write');
  if (denied) return denied;
  let list: unknown;
  try {
    list = jsonArg(ctx.params, 'files');
  } catch {
    return slackInvalid('invalid_arguments', ['invalid JSON [json-pointer:/files]']);
  }
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((f) => isRecord(f) && typeof f.id === 'string')
  )
    return slackInvalid('invalid_arguments', ['files must be a non-empty array of {id, title}']);
  const entries = list as { id: string; title?: unknown }[];
  const files = entries.map((e) => ctx.state.files.find((f) => f.id === e.id && f.bytes !== null));
  if (files.some((f) => f === undefined)) return slackFail('file_not_found');
  const ready = files as EmuFile[];
  const channelId = str(ctx.params, 'channel_id') ?? str(ctx.params, 'channels');
  let message: EmuMessage | null = null;
  if (channelId) {
    const channel = ctx.state.channels.find((c) => c.id === channelId);
    if (!channel) return slackFail('channel_not_found');
    if (!channel.isMember && (channel.isPrivate || !ctx.state.scopes.has('chat:write.public')))
      return slackFail('not_in_channel');
    const threadTs = str(ctx.params, 'thread_ts') || null;
    const parent = threadTs ? channel.messages.find((m) => m.ts === threadTs) : undefined;
    if (threadTs && !parent) return slackFail('thread_not_found');
    let blocks: unknown;
    try {
      blocks = jsonArg(ctx.params, 'blocks');
    } catch {
      return slackFail('invalid_blocks_format');
    }
    message = addMessage(ctx.state, ctx.now(), channel, {
      text: str(ctx.params, 'initial_comment') ?? '',
      blocks: Array.isArray(blocks) ? blocks : [],
      ...(parent ? { parent } : {}),
      files: ready,
    });
  }
  ready.forEach((f, i) => {
    const title = entries[i]?.title;
    if (typeof title === 'string' && title) f.title = title;
    f.completed = true;
    f.channel = message?.channel ?? null;
    f.threadTs = message?.threadTs ?? null;
    f.messageTs = message?.ts ?? null;
  });
  return slackOk({
    files: ready.map((f) => ({
      id: f.id,
      name: f.filename,
      title: f.title,
      mimetype: f.mimetype,
      size: f.bytes?.length ?? 0,
      user: ctx.state.botUserId,
      channels: f.channel ? [f.channel] : [],
    })),
  });
}
