import type { SyncConfig } from '../config/sync';
import type { SyncWrite } from '../core/outbox/outbox-command';
import type { Redactor } from '../core/redact/redact';
import type { SyncSystem } from '../core/sync/remote-change';
import {
  byteSize,
  copiedText,
  normaliseText,
  plainMentions,
  safeFileName,
  SYSTEM_NAMES,
} from '../core/sync/sync-policy';
import type { IncidentRecord, Store } from '../ports/store';
import type { TicketAttachment, TicketAttachments, TicketComment } from '../ports/ticket-attachments';
import type { TicketRef } from '../ports/ticket-system';
import { attachmentKey, commentRecordKey } from './apply-remote-changes';
import { findTwin } from './copy-attachment';

/** Comments and attachments listed per ticket: the first a drift check looks at. */
const PER_TICKET = 100;
/** Listing requests per pair: comments and attachments on both sides, and ServiceNow's close notes. */
const PAIR_REQUESTS = 5;

/** What the content comparison needs beyond the state check. */
export interface ContentCheckDeps {
  store: Pick<Store, 'sync'>;
  attachments: Record<SyncSystem, TicketAttachments>;
  sync: Pick<SyncConfig, 'comments' | 'attachments'>;
  redactor: Redactor;
  mentionNames?: ReadonlyMap<string, string>;
}

/** A missing copy: what is wrong, and the write (with its ledger entry and handled-once marks). */
export interface ContentDrift {
  kind: 'comment' | 'attachment';
  problem: string;
  repair: {
    system: SyncSystem;
    write: SyncWrite;
    item: string;
    content: string;
    /** Marked handled in the repair's transaction; the first is the repair's own, so it is queued once. */
    marks: { system: SyncSystem; record: string; changeId: string }[];
  };
}

/** The request budget of one drift check's content comparison, shared by all pairs. */
export interface RequestBudget {
  left: number;
}

/** Per side of a pair: its ticket, comments and attachments. */
interface Side {
  system: SyncSystem;
  ref: TicketRef;
  record: string;
  comments: TicketComment[];
  attachments: TicketAttachment[];
}

/**
 * Comments and attachments of one linked pair against the echo ledger: an item a person added on one
 * side since the incident opened — not one the bridge wrote there (the ledger's matched copies, or its
 * own account) and, for attachments, not above the limit — is drift when its copy is missing on the
 * other side (comments by their redacted, mention-free text inside a copy; attachments by SHA-256 or
 * name and size). Five listing requests per pair (more when same-sized attachments are compared);
 * null when the budget cannot pay for this pair.
 */
export async function contentDrift(
  deps: ContentCheckDeps,
  incident: IncidentRecord,
  refs: Record<SyncSystem, TicketRef>,
  budget: RequestBudget,
): Promise<ContentDrift[] | null> {
  if (budget.left < PAIR_REQUESTS) return null;
  budget.left -= PAIR_REQUESTS;
  const side = async (system: SyncSystem): Promise<Side> => {
    const ref = refs[system];
    const a = deps.attachments[system];
    const [comments, attachments] = await Promise.all([
      a.comments(ref, PER_TICKET),
      a.attachments(ref, PER_TICKET),
    ]);
    return { system, ref, record: system === 'servicenow' ? ref.id : ref.key, comments, attachments };
  };
  const [sn, jira] = await Promise.all([side('servicenow'), side('jira')]);
  // ServiceNow stamps to the second: an item of the incident's first second is not older than it.
  const openedToTheSecond = `${incident.openedAt.slice(0, 19)}.000Z`;
  const out: ContentDrift[] = [];
  for (const [from, to] of [
    [jira, sn],
    [sn, jira],
  ] as const) {
    const copies = await deps.store.sync.ledgerOf(from.system, from.record);
    const written = new Set(copies.map((e) => e.remoteId).filter((id) => id !== null));
    const eligible = <T extends { id: string; integration: boolean; createdAt: string }>(x: T) =>
      !x.integration && !written.has(x.id) && x.createdAt >= openedToTheSecond;
    for (const c of from.comments.filter(eligible)) {
      const d = missingComment(deps, from, to, c);
      if (d) out.push(d);
    }
    for (const a of from.attachments.filter(eligible)) {
      const d = await missingAttachment(deps, from, to, a, budget);
      if (d) out.push(d);
    }
  }
  return out;
}

function missingComment(deps: ContentCheckDeps, from: Side, to: Side, c: TicketComment): ContentDrift | null {
  const body = normaliseText(deps.redactor.text(plainMentions(c.body, deps.mentionNames)));
  if (!body || to.comments.some((t) => normaliseText(t.body).includes(body))) return null;
  const fromJira = from.system === 'jira';
  const kind = fromJira ? 'comment' : c.visibility === 'customer' ? 'customer comment' : 'work note';
  const text = deps.redactor.text(
    copiedText({
      from: from.system,
      author: c.authorName,
      where: from.ref.key,
      kind,
      body: plainMentions(c.body, deps.mentionNames),
    }),
  );
  const visibility =
    fromJira && deps.sync.comments.jiraTo === 'comments' ? ('customer' as const) : ('internal' as const);
  return {
    kind: 'comment',
    problem: `${SYSTEM_NAMES[from.system]} ${kind} ${c.id} by ${c.authorName} on ${from.ref.key} is missing on ${SYSTEM_NAMES[to.system]} ${to.ref.key}`,
    repair: {
      system: to.system,
      write: { type: 'comment', text, visibility },
      item: 'comment',
      content: text,
      marks: [
        {
          system: from.system,
          record: from.record,
          changeId: `repair:${commentRecordKey(from.record, c.id)}`,
        },
        { system: from.system, record: from.record, changeId: commentRecordKey(from.record, c.id) },
      ],
    },
  };
}

async function missingAttachment(
  deps: ContentCheckDeps,
  from: Side,
  to: Side,
  a: TicketAttachment,
  budget: RequestBudget,
): Promise<ContentDrift | null> {
  const max = deps.sync.attachments.maxBytes;
  if (a.sizeBytes > max) return null;
  const name = safeFileName(a.fileName);
  const sameSize = to.attachments.filter((t) => t.sizeBytes === a.sizeBytes);
  if (sameSize.some((t) => (a.sha256 !== null && t.sha256 === a.sha256) || t.fileName === name)) return null;
  // The same content under another name (a copy de-duplicated by hash) is no drift: compare the bytes.
  if (sameSize.length > 0 && budget.left > sameSize.length) {
    budget.left -= 1 + Math.min(sameSize.length, 5);
    const content = await deps.attachments[from.system].download(from.ref, a.id, max);
    if (
      content !== 'too_large' &&
      (await findTwin(deps.attachments[to.system], to.ref, content, max, sameSize))
    )
      return null;
  }
  return {
    kind: 'attachment',
    problem: `${SYSTEM_NAMES[from.system]} attachment ${name} (${byteSize(a.sizeBytes)}) on ${from.ref.key} is missing on ${SYSTEM_NAMES[to.system]} ${to.ref.key}`,
    repair: {
      system: to.system,
      write: {
        type: 'attachment',
        from: from.system,
        id: a.id,
        fileName: name,
        contentType: a.contentType,
        sizeBytes: a.sizeBytes,
        maxBytes: max,
        author: a.authorName,
      },
      item: 'attachment',
      content: name,
      marks: [
        { system: from.system, record: from.record, changeId: `repair:${attachmentKey(from.record, a.id)}` },
        { system: from.system, record: from.record, changeId: attachmentKey(from.record, a.id) },
      ],
    },
  };
}
