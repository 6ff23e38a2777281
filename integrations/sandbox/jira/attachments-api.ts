import { jiraError, logChange, renderAttachment, type JiraContext } from './context';
import type { EmuRequest, EmuResponse } from '../http-util';
import { jiraTime, type EmuAttachment, type EmuIssue } from './state';

interface FilePart {
  filename: string;
  mimeType: string;
  content: Buffer;
}

/**
 * The `file` parts of a multipart/form-data body; null when it is not one (no boundary, no parts).
 * Enough of RFC 7578 for what clients send: CRLF-separated headers, one boundary line between parts.
 */
export function multipartFiles(contentType: string | undefined, body: Buffer): FilePart[] | null {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const files: FilePart[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const type = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim();
      if (name === 'file' && filename !== undefined)
        files.push({
          filename,
          mimeType: type || 'application/octet-stream',
          content: Buffer.from(part.subarray(split + 4)),
        });
    }
    at = next;
  }
  return files;
}

/**
 * `POST /issue/{key}/attachments`: multipart/form-data with one or more `file` parts, and Jira's XSRF
 * header `X-Atlassian-Token: no-check` (403 without it). Answers the array of attachments; each lands
 * in `fields.attachment`, as an `Attachment` changelog item (delivered as `jira:issue_updated`) and as
 * an `attachment_created` event.
 */
export function addAttachments(req: EmuRequest, ctx: JiraContext, issue: EmuIssue): EmuResponse {
  if ((req.headers['x-atlassian-token'] ?? '').toString().toLowerCase() !== 'no-check')
    return jiraError(403, ['XSRF check failed']);
  const files = multipartFiles(req.headers['content-type'], req.body);
  if (!files || files.length === 0)
    return jiraError(400, [], { file: 'A multipart/form-data body with a "file" part is required.' });
  const added: EmuAttachment[] = [];
  for (const f of files) {
    const a: EmuAttachment = {
      id: String(ctx.state.nextId++),
      filename: f.filename,
      mimeType: f.mimeType,
      size: f.content.length,
      author: ctx.actor,
      created: jiraTime(ctx.now()),
    };
    issue.attachments.push(a);
    ctx.state.attachmentBodies.set(a.id, f.content);
    added.push(a);
  }
  logChange(
    ctx,
    issue,
    added.map((a) => ({ field: 'Attachment', from: null, fromString: null, to: a.id, toString: a.filename })),
  );
  for (const a of added) ctx.hooks?.attachmentCreated(ctx, issue, renderAttachment(ctx, a));
  return { status: 200, body: added.map((a) => renderAttachment(ctx, a)) };
}

/** `GET /attachment/{id}` (metadata) and `GET /attachment/content/{id}` (the bytes). */
export function handleAttachment(req: EmuRequest, ctx: JiraContext, rest: string): EmuResponse {
  const m = /^(content\/)?(\d+)$/.exec(rest);
  if (req.method !== 'GET' || !m) return jiraError(404, [`No resource ${req.method} attachment/${rest}`]);
  const issue = ctx.state.issues.find((i) => i.attachments.some((a) => a.id === m[2]));
  const a = issue?.attachments.find((x) => x.id === m[2]);
  const body = a && ctx.state.attachmentBodies.get(a.id);
  if (!a || !body) return jiraError(404, ['The attachment with id ' + String(m[2]) + ' does not exist']);
  if (!m[1]) return { status: 200, body: renderAttachment(ctx, a) };
  return {
    status: 200,
    headers: { 'Content-Type': a.mimeType, 'Content-Length': String(body.length) },
    raw: body,
  };
}
