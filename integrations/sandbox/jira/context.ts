import { renderIssueLinks } from './issue-links';
import type { EmuResponse } from '../http-util';
import { CATEGORY_IDS, jiraTime, type EmuAttachment, type EmuIssue, type JiraState } from './state';
import { renderUser } from './users-api';
import type { WebhookDispatcher } from './webhooks';

/** What every route needs; `version` is 3 (Cloud, ADF) or 2 (Data Center, wiki markup strings). */
export interface JiraContext {
  state: JiraState;
  now: () => number;
  version: 2 | 3;
  baseUrl: string;
  /** How long a new issue stays invisible to JQL search (Jira Cloud search is eventually consistent). */
  searchLagMs: number;
  /** Per-issue write limit (Cloud: 20 writes per 2 s); null to disable. */
  perIssueWrite: { limit: number; windowMs: number } | null;
  /** accountId of the authenticated caller: the author of what this request changes. */
  actor: string;
  /** Webhook delivery of issue updates and comments (absent: none registered, as in unit tests). */
  hooks?: WebhookDispatcher;
}

/** Jira's error shape: `{"errorMessages":[...],"errors":{"field":"message"}}`. */
export const jiraError = (
  status: number,
  errorMessages: string[],
  errors: Record<string, string> = {},
): EmuResponse => ({
  status,
  body: { errorMessages, errors },
});

export const issueNotFound = (): EmuResponse =>
  jiraError(404, ['Issue does not exist or you do not have permission to see it.']);

/** A 429 as Jira Cloud sends it: Retry-After, X-RateLimit-* (Reset as ISO time) and RateLimit-Reason. */
export function jiraRateLimited(
  nowMs: number,
  retryAfterSeconds: number,
  reason: string,
  limit: number,
): EmuResponse {
  return {
    status: 429,
    headers: {
      'Retry-After': String(retryAfterSeconds),
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': new Date(nowMs + retryAfterSeconds * 1000).toISOString(),
      'RateLimit-Reason': reason,
    },
    body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
  };
}

/** Enforces the per-issue write limit; returns a 429 when this write would exceed it. */
export function perIssueWriteCheck(ctx: JiraContext, issue: EmuIssue): EmuResponse | null {
  const cap = ctx.perIssueWrite;
  if (!cap) return null;
  const now = ctx.now();
  const recent = (ctx.state.writes.get(issue.id) ?? []).filter((t) => t > now - cap.windowMs);
  if (recent.length >= cap.limit) {
    const wait = Math.max(1, Math.ceil(((recent[0] ?? now) + cap.windowMs - now) / 1000));
    ctx.state.writes.set(issue.id, recent);
    return jiraRateLimited(now, wait, 'jira-per-issue-on-write', cap.limit);
  }
  recent.push(now);
  ctx.state.writes.set(issue.id, recent);
  return null;
}

/** An attachment as Jira renders it (`fields.attachment[]`, `GET /attachment/{id}`, the upload's answer). */
export function renderAttachment(ctx: JiraContext, a: EmuAttachment) {
  const user = ctx.state.users.find((u) => u.accountId === a.author);
  const base = `${ctx.baseUrl}/rest/api/${ctx.version}`;
  return {
    self: `${base}/attachment/${a.id}`,
    id: a.id,
    filename: a.filename,
    author: user ? renderUser(ctx, user) : { accountId: a.author },
    created: a.created,
    size: a.size,
    mimeType: a.mimeType,
    content: `${base}/attachment/content/${a.id}`,
  };
}

/** The issue as `GET /issue/{key}` renders it, limited to `fields` when given. */
export function renderIssue(
  ctx: JiraContext,
  issue: EmuIssue,
  fields: string[] | null,
  properties: string[] = [],
) {
  const status = ctx.state.statuses.find((s) => s.id === issue.statusId);
  const project = ctx.state.projects.find((p) => p.key === issue.projectKey);
  const assigneeUser = issue.assignee
    ? ctx.state.users.find((u) => u.accountId === issue.assignee)
    : undefined;
  const all: Record<string, unknown> = {
    summary: issue.summary,
    description: issue.description ?? null,
    issuetype: { name: issue.issueType },
    project: { id: project?.id, key: issue.projectKey },
    priority: { id: ctx.state.priorities.find((p) => p.name === issue.priority)?.id, name: issue.priority },
    labels: issue.labels,
    status: status && {
      id: status.id,
      name: status.name,
      statusCategory: { ...CATEGORY_IDS[status.category], key: status.category },
    },
    resolution: issue.resolution ? { name: issue.resolution } : null,
    assignee: assigneeUser ? renderUser(ctx, assigneeUser) : null,
    created: jiraTime(issue.created),
    updated: jiraTime(issue.updated),
    issuelinks: renderIssueLinks(ctx.state, issue),
    attachment: issue.attachments.map((a) => renderAttachment(ctx, a)),
  };
  const wanted =
    !fields || fields.includes('*all') || fields.includes('*navigable') ? Object.keys(all) : fields;
  const out: Record<string, unknown> = {
    id: issue.id,
    key: issue.key,
    self: `${ctx.baseUrl}/rest/api/${ctx.version}/issue/${issue.id}`,
    fields: Object.fromEntries(wanted.filter((f) => f in all).map((f) => [f, all[f]])),
  };
  if (properties.length > 0) {
    out.properties = Object.fromEntries(
      properties.filter((p) => issue.properties.has(p)).map((p) => [p, issue.properties.get(p)]),
    );
  }
  return out;
}

/**
 * Records a changelog entry (status, resolution, labels, …) by the caller and delivers it to the
 * webhooks, with the comment added in the same step (a transition's comment), if any.
 */
export function logChange(
  ctx: JiraContext,
  issue: EmuIssue,
  items: ChangeItem[],
  comment?: EmuIssue['comments'][number],
): void {
  if (items.length === 0) return;
  issue.updated = ctx.now();
  const entry = {
    id: String(10000 + issue.changelog.length + Number(issue.id) * 100),
    created: jiraTime(ctx.now()),
    author: ctx.actor,
    items: items.map((i) => ({ fieldtype: 'jira', fieldId: i.field, ...i })),
  };
  issue.changelog.push(entry);
  ctx.hooks?.issueUpdated(ctx, issue, entry, comment);
}
type ChangeItem = {
  field: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
};
