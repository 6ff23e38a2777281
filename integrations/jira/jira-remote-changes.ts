import { z } from 'zod';
import type {
  RemoteActor,
  RemoteAttachment,
  RemoteChange,
  RemoteComment,
  SyncField,
} from '../../src/core/sync/remote-change';

/** Jira's user object (webhook `user`, comment `author`); Data Center has `name` instead of `accountId`. */
const JiraUser = z.looseObject({
  accountId: z.string().optional(),
  name: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().nullable().optional(),
});
type JiraUser = z.infer<typeof JiraUser>;

const ChangeItem = z.looseObject({
  field: z.string(),
  fieldId: z.string().optional(),
  from: z.string().nullable().optional(),
  fromString: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
  toString: z.string().nullable().optional(),
});
type ChangeItem = z.infer<typeof ChangeItem>;

const JiraComment = z.looseObject({
  id: z.string(),
  /** ADF on Cloud, wiki markup on Data Center. */
  body: z.unknown(),
  author: JiraUser.optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
  /** Jira Service Management: visible to the customer (Jira's default for any comment), false if internal. */
  jsdPublic: z.boolean().optional(),
});

/** The parts of a Jira webhook body the sync reads (`jira:issue_updated`, `comment_*`). */
export const JiraWebhookBody = z.looseObject({
  timestamp: z.number().optional(),
  webhookEvent: z.string().min(1).max(100),
  user: JiraUser.optional(),
  issue: z.looseObject({
    id: z.string().optional(),
    key: z.string().min(1).max(100),
    fields: z
      .looseObject({
        updated: z.string().optional(),
        status: z
          .looseObject({
            name: z.string().optional(),
            statusCategory: z.looseObject({ key: z.string().optional() }).optional(),
          })
          .nullable()
          .optional(),
      })
      .optional(),
  }),
  changelog: z
    .looseObject({ id: z.string().optional(), items: z.array(ChangeItem).max(100).default([]) })
    .optional(),
  comment: JiraComment.optional(),
});
export type JiraWebhookBody = z.infer<typeof JiraWebhookBody>;

/** What the parser needs to know: our own account (a hint only: the echo ledger decides). */
export interface JiraChangeContext {
  botAccountId: string | null;
}

/** Jira's `2026-01-05T08:00:00.000+0000` (or ISO) as ISO-8601 UTC; null when it is no time at all. */
export function jiraInstant(text: string | undefined): string | null {
  if (!text) return null;
  const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const actorOf = (u: JiraUser | undefined, ctx: JiraChangeContext): RemoteActor => {
  const id = u?.accountId ?? u?.name ?? 'unknown';
  return {
    id: id.slice(0, 200),
    name: (u?.displayName ?? u?.emailAddress ?? id).slice(0, 200),
    integration: ctx.botAccountId !== null && id === ctx.botAccountId,
  };
};

/**
 * An ADF document (or a Data Center wiki string) as plain text: paragraphs and hard breaks as lines,
 * mentions as the plain name (`attrs.text` without the @), so a copy never notifies anyone.
 */
export function adfText(body: unknown): string {
  if (typeof body === 'string') return body;
  const lines: string[] = [];
  let line = '';
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as { type?: unknown; text?: unknown; attrs?: { text?: unknown }; content?: unknown };
    if (n.type === 'text' && typeof n.text === 'string') line += n.text;
    else if (n.type === 'mention') line += String(n.attrs?.text ?? 'a Jira user').replace(/^@/, '');
    else if (n.type === 'hardBreak') {
      lines.push(line);
      line = '';
    }
    if (Array.isArray(n.content)) n.content.forEach(walk);
    if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'codeBlock' || n.type === 'listItem') {
      lines.push(line);
      line = '';
    }
  };
  walk(body);
  if (line) lines.push(line);
  return lines.join('\n').trim();
}

const FIELDS: Record<string, SyncField> = {
  status: 'status',
  priority: 'priority',
  assignee: 'assignee',
  resolution: 'resolution',
};

/** Changelog items as sync field changes (status names, priority names, assignee account ids). */
function fieldChanges(items: readonly ChangeItem[], category: string | null) {
  const out: RemoteChange['fields'] = [];
  for (const i of items) {
    const field = FIELDS[(i.fieldId ?? i.field).toLowerCase()] ?? FIELDS[i.field.toLowerCase()];
    if (!field) continue;
    const ids = field === 'assignee';
    out.push({
      field,
      from: (ids ? i.from : i.fromString) ?? null,
      to: (ids ? i.to : i.toString) ?? null,
    });
    if (field === 'status' && category !== null)
      out.push({ field: 'statusCategory', from: null, to: category });
  }
  return out;
}

/** Attachments added in the changelog (`Attachment` items: id and file name). */
function attachmentsAdded(items: readonly ChangeItem[]): RemoteAttachment[] {
  return items
    .filter((i) => i.field.toLowerCase() === 'attachment' && i.to)
    .map((i) => ({
      id: String(i.to),
      fileName: (i.toString ?? String(i.to)).slice(0, 255) || 'attachment',
      contentType: '',
      sizeBytes: null,
    }));
}

const commentOf = (c: z.infer<typeof JiraComment>): RemoteComment => ({
  id: c.id,
  body: adfText(c.body).slice(0, 64_000),
  // Only a JSM project makes the difference; the sync core reads it only with `serviceManagement`.
  visibility: c.jsdPublic === true ? 'customer' : 'internal',
});

/**
 * One webhook delivery as a RemoteChange (`changeId` = `X-Atlassian-Webhook-Identifier`), or null for
 * an event the sync does not use. The changelog id is the change's `version`: the sweep reports the
 * same changelog entry under its own change id, and the sync core recognises it by this id.
 */
export function jiraWebhookChange(
  body: JiraWebhookBody,
  identifier: string,
  ctx: JiraChangeContext,
): RemoteChange | null {
  const event = body.webhookEvent;
  const fallback = body.timestamp === undefined ? null : new Date(body.timestamp).toISOString();
  if (event === 'comment_created' || event === 'comment_updated') {
    if (!body.comment) return null;
    const updatedAt = jiraInstant(body.comment.updated) ?? jiraInstant(body.comment.created) ?? fallback;
    if (!updatedAt) return null;
    return {
      system: 'jira',
      changeId: identifier,
      record: body.issue.key.toUpperCase(),
      updatedAt,
      actor: actorOf(body.comment.author ?? body.user, ctx),
      fields: [],
      comments: [commentOf(body.comment)],
      attachments: [],
    };
  }
  if (event !== 'jira:issue_updated') return null;
  const items = body.changelog?.items ?? [];
  const category = body.issue.fields?.status?.statusCategory?.key ?? null;
  const updatedAt = jiraInstant(body.issue.fields?.updated) ?? fallback;
  if (!updatedAt) return null;
  const version = Number(body.changelog?.id);
  const change: RemoteChange = {
    system: 'jira',
    changeId: identifier,
    record: body.issue.key.toUpperCase(),
    updatedAt,
    ...(Number.isSafeInteger(version) && version >= 0 ? { version } : {}),
    actor: actorOf(body.user, ctx),
    fields: fieldChanges(items, category),
    // A transition with a comment carries it here (the resolution comment of a done transition).
    comments: body.comment ? [commentOf(body.comment)] : [],
    attachments: attachmentsAdded(items),
  };
  return change.fields.length + change.comments.length + change.attachments.length > 0 ? change : null;
}

/** The webhook events the sync reads; any other is answered 200 and not used. */
const USED_EVENTS = new Set(['jira:issue_updated', 'comment_created', 'comment_updated']);

/** A webhook body (already JSON) as the change it reports; the zod error when it has the wrong shape. */
export function readJiraWebhook(body: unknown, identifier: string, ctx: JiraChangeContext) {
  // `attachment_created` and the like carry no issue: the issue's own update (its changelog) reports them.
  const event = (body as { webhookEvent?: unknown } | null)?.webhookEvent;
  if (typeof event === 'string' && !USED_EVENTS.has(event)) return { ok: true as const, change: null };
  const parsed = JiraWebhookBody.safeParse(body);
  return parsed.success
    ? { ok: true as const, change: jiraWebhookChange(parsed.data, identifier, ctx) }
    : { ok: false as const, error: parsed.error };
}

/** A changelog entry read by the sweep (`GET /issue/{key}/changelog`), as a RemoteChange. */
export function jiraChangelogChange(
  key: string,
  entry: { id: string; created: string; author: unknown; items: readonly ChangeItem[] },
  category: string | null,
  ctx: JiraChangeContext,
): RemoteChange | null {
  const updatedAt = jiraInstant(entry.created);
  const version = Number(entry.id);
  if (!updatedAt || !Number.isSafeInteger(version)) return null;
  const author =
    typeof entry.author === 'string' ? { accountId: entry.author } : JiraUser.safeParse(entry.author).data;
  const change: RemoteChange = {
    system: 'jira',
    changeId: `${key}@changelog:${entry.id}`,
    record: key.toUpperCase(),
    updatedAt,
    version,
    actor: actorOf(author, ctx),
    fields: fieldChanges(entry.items, category),
    comments: [],
    attachments: attachmentsAdded(entry.items),
  };
  return change.fields.length + change.attachments.length > 0 ? change : null;
}

/** A comment read by the sweep, as a RemoteChange. */
export function jiraCommentChange(
  key: string,
  comment: z.infer<typeof JiraComment>,
  ctx: JiraChangeContext,
): RemoteChange | null {
  const updatedAt = jiraInstant(comment.updated) ?? jiraInstant(comment.created);
  if (!updatedAt) return null;
  return {
    system: 'jira',
    changeId: `${key}@comment:${comment.id}`,
    record: key.toUpperCase(),
    updatedAt,
    actor: actorOf(comment.author, ctx),
    fields: [],
    comments: [commentOf(comment)],
    attachments: [],
  };
}

export { ChangeItem as JiraChangeItem, JiraComment as JiraCommentBody };
