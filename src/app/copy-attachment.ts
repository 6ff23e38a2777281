import { createHash } from 'node:crypto';
import type { SyncWrite } from '../core/outbox/outbox-command';
import { byteSize, SYSTEM_NAMES } from '../core/sync/sync-policy';
import type { IncidentRecord, TicketLane } from '../ports/store';
import type { TicketAttachment, TicketAttachments } from '../ports/ticket-attachments';
import type { TicketRef } from '../ports/ticket-system';
import type { CommandOutcome } from './lane-runner';
import { ticketRef } from './run-ticket-command';

type AttachmentWrite = Extract<SyncWrite, { type: 'attachment' }>;

/** Attachments listed on the target before an upload: enough for any ticket people work on. */
export const TARGET_LISTING = 200;
/** Target attachments of the same size whose content is fetched to compare (Jira lists no hash). */
const SAME_SIZE_CANDIDATES = 5;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The attachment among `there` (on `target`) holding `content`: by the remote's SHA-256 where it has
 * one, else by fetching same-sized ones (a few, never above `maxBytes`) and hashing them.
 */
export async function findTwin(
  to: TicketAttachments,
  target: TicketRef,
  content: Buffer,
  maxBytes: number,
  there: readonly TicketAttachment[],
): Promise<TicketAttachment | null> {
  const hash = sha256(content);
  const sameSize = there.filter((a) => a.sizeBytes === content.length);
  const byHash = sameSize.find((a) => a.sha256 === hash);
  if (byHash) return byHash;
  for (const a of sameSize.filter((x) => x.sha256 === null).slice(0, SAME_SIZE_CANDIDATES)) {
    const other = await to.download(target, a.id, maxBytes);
    if (other !== 'too_large' && sha256(other) === hash) return a;
  }
  return null;
}

/**
 * Copies one attachment from the other system onto `target`: asks its size where the event did not
 * say, refuses it above `maxBytes` (never downloading more), hashes the content and uploads it only
 * when the target does not already hold the same content — by the target's own SHA-256 (ServiceNow)
 * or by comparing the content of same-sized ones. So a retry after a crash between the upload and our
 * commit finds its own upload and adds no second one, and the same file attached twice is copied once.
 * The summary goes on the incident's timeline and into the audit log.
 */
export async function copyAttachment(
  systems: Partial<Record<TicketLane, TicketAttachments>>,
  lane: TicketLane,
  target: TicketRef,
  incident: IncidentRecord,
  w: AttachmentWrite,
): Promise<CommandOutcome> {
  const from = systems[w.from];
  const to = systems[lane];
  const source = ticketRef(incident.tickets, w.from);
  const origin = SYSTEM_NAMES[w.from];
  if (!from || !to || !source)
    return { summary: `attachment ${w.fileName}: no ${origin} ticket to copy from; skipped` };
  const limit = `not copied: over the ${byteSize(w.maxBytes)} limit`;
  let size = w.sizeBytes;
  let contentType = w.contentType;
  // A Jira changelog item names the file only: its size and type are asked here.
  if (size === null || !contentType) {
    const meta = await from.attachment(source, w.id);
    if (!meta)
      return { summary: `attachment ${w.fileName} is gone from ${origin} ${source.key}; not copied` };
    size = meta.sizeBytes;
    contentType ||= meta.contentType;
  }
  if (size > w.maxBytes) return { summary: `attachment ${w.fileName} ${byteSize(size)} ${limit}` };
  const content = await from.download(source, w.id, w.maxBytes);
  if (content === 'too_large')
    return { summary: `attachment ${w.fileName} (more than ${byteSize(w.maxBytes)}) ${limit}` };
  const hash = sha256(content);
  const twin = await findTwin(to, target, content, w.maxBytes, await to.attachments(target, TARGET_LISTING));
  if (twin)
    return {
      summary: `attachment ${w.fileName} by ${w.author} is already on ${target.key} as ${twin.fileName} (same SHA-256); not uploaded again`,
    };
  const up = await to.upload(target, { fileName: w.fileName, contentType, content });
  return {
    summary: `attachment ${w.fileName} (${byteSize(content.length)}, sha256 ${hash.slice(0, 12)}) by ${w.author} copied from ${origin} ${source.key} to ${target.key} as ${up.id}`,
  };
}
