import { issueNotFound, jiraError, logChange, perIssueWriteCheck, type JiraContext } from './context';
import { isRecord, type EmuRequest, type EmuResponse } from '../http-util';
import { readJson } from './issues-api';
import { addAttachments } from './attachments-api';
import { renderUser } from './users-api';
import { richTextRefusal, schemaHeader } from './rich-text';
import { CATEGORY_IDS, findIssue, jiraTime, type EmuIssue } from './state';

/** Sub-resources of an issue: transitions, comments, remote links, properties, changelog. */
export function handleIssueExtra(
  req: EmuRequest,
  ctx: JiraContext,
  idOrKey: string,
  rest: string,
): EmuResponse {
  const issue = findIssue(ctx.state, idOrKey);
  if (!issue) return issueNotFound();
  const isWrite = req.method !== 'GET';
  if (isWrite) {
    const limited = perIssueWriteCheck(ctx, issue);
    if (limited) return limited;
  }
  const [resource, sub] = rest.split('/');
  switch (`${req.method} ${resource}`) {
    case 'GET transitions':
      return { status: 200, body: { expand: 'transitions', transitions: available(ctx, issue) } };
    case 'POST transitions':
      return transition(req, ctx, issue);
    case 'GET comment':
      return listComments(req, ctx, issue);
    case 'POST comment':
      return addComment(req, ctx, issue);
    case 'POST attachments':
      return addAttachments(req, ctx, issue);
    case 'GET remotelink': {
      const globalId = req.query.get('globalId');
      const links = issue.remoteLinks.filter((l) => globalId === null || l.globalId === globalId);
      return { status: 200, body: globalId !== null && links[0] ? links[0] : links };
    }
    case 'POST remotelink':
      return upsertRemoteLink(req, ctx, issue);
    case 'GET properties':
      if (!sub) return { status: 200, body: { keys: [...issue.properties.keys()].map((key) => ({ key })) } };
      return issue.properties.has(sub)
        ? { status: 200, body: { key: sub, value: issue.properties.get(sub) } }
        : jiraError(404, [`The property with key '${sub}' does not exist.`]);
    case 'PUT properties': {
      if (!sub) return jiraError(405, ['Method not allowed']);
      const existed = issue.properties.has(sub);
      issue.properties.set(sub, readJson(req));
      return { status: existed ? 200 : 201 };
    }
    case 'GET changelog': {
      const startAt = Number(req.query.get('startAt') ?? 0);
      const maxResults = Number(req.query.get('maxResults') ?? 100);
      const values = issue.changelog
        .slice(startAt, startAt + maxResults)
        .map((e) => ({ ...e, author: authorOf(ctx, e.author) }));
      const total = issue.changelog.length;
      return {
        status: 200,
        body: { values, startAt, maxResults, total, isLast: startAt + values.length >= total },
      };
    }
    default:
      return jiraError(404, [`No resource ${req.method} ${rest}`]);
  }
}

/** A stored author (accountId) as the user object Jira renders. */
function authorOf(ctx: JiraContext, accountId: string) {
  const user = ctx.state.users.find((u) => u.accountId === accountId);
  return user ? renderUser(ctx, user) : { accountId };
}

/** Transitions leading away from the current status (a global workflow). */
function available(ctx: JiraContext, issue: EmuIssue) {
  return ctx.state.transitions
    .filter((t) => t.to !== issue.statusId)
    .map((t) => {
      const to = ctx.state.statuses.find((s) => s.id === t.to);
      return {
        id: t.id,
        name: t.name,
        to: to && {
          id: to.id,
          name: to.name,
          statusCategory: { ...CATEGORY_IDS[to.category], key: to.category },
        },
        hasScreen: false,
        isGlobal: true,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
      };
    });
}

function transition(req: EmuRequest, ctx: JiraContext, issue: EmuIssue): EmuResponse {
  const body = readJson(req);
  const id = isRecord(body) && isRecord(body.transition) ? String(body.transition.id) : undefined;
  const t = ctx.state.transitions.find((x) => x.id === id && x.to !== issue.statusId);
  if (!t) return jiraError(400, [`Transition id '${id}' is not valid for this issue.`]);
  // `update.comment[0].add.body`: a comment made with the transition (the resolution comment).
  const ops =
    isRecord(body) && isRecord(body.update) && Array.isArray(body.update.comment) ? body.update.comment : [];
  const add = ops.find((o) => isRecord(o) && isRecord(o.add));
  const commentBody = isRecord(add) && isRecord(add.add) ? add.add.body : undefined;
  if (commentBody !== undefined) {
    const refused = richTextRefusal(
      ctx,
      commentBody,
      'Comment body must be an Atlassian Document',
      'Comment body must be a string',
    );
    if (refused)
      return { ...jiraError(400, [], { comment: refused.message }), headers: schemaHeader(refused) };
  }
  const from = ctx.state.statuses.find((s) => s.id === issue.statusId);
  const to = ctx.state.statuses.find((s) => s.id === t.to);
  const resolution = to?.category === 'done' ? 'Done' : null;
  issue.statusId = t.to;
  const before = issue.resolution;
  issue.resolution = resolution;
  const comment = commentBody === undefined ? undefined : pushComment(ctx, issue, commentBody);
  logChange(
    ctx,
    issue,
    [
      {
        field: 'status',
        from: from?.id ?? null,
        fromString: from?.name ?? null,
        to: to?.id ?? null,
        toString: to?.name ?? null,
      },
      ...(resolution !== before
        ? [{ field: 'resolution', from: null, fromString: before, to: null, toString: resolution }]
        : []),
    ],
    comment,
  );
  return { status: 204 };
}

/** Adds a comment by the caller (no webhook: the caller's event carries it). */
export function pushComment(ctx: JiraContext, issue: EmuIssue, body: unknown, jsdPublic = true) {
  const comment = {
    id: String(10000 + issue.comments.length),
    body,
    author: ctx.actor,
    created: jiraTime(ctx.now()),
    jsdPublic,
  };
  issue.comments.push(comment);
  issue.updated = ctx.now();
  return comment;
}

/**
 * Comments as Jira renders them: the author as a user object, `updated` next to `created`; oldest first,
 * or newest first with `orderBy=-created`.
 */
function listComments(req: EmuRequest, ctx: JiraContext, issue: EmuIssue): EmuResponse {
  const startAt = Number(req.query.get('startAt') ?? 0);
  const maxResults = Number(req.query.get('maxResults') ?? 50);
  const ordered = req.query.get('orderBy') === '-created' ? [...issue.comments].reverse() : issue.comments;
  const comments = ordered.slice(startAt, startAt + maxResults).map((c) => ({
    ...c,
    author: authorOf(ctx, c.author),
    updated: c.created,
  }));
  return { status: 200, body: { comments, startAt, maxResults, total: issue.comments.length } };
}

function addComment(req: EmuRequest, ctx: JiraContext, issue: EmuIssue): EmuResponse {
  const body = readJson(req);
  const text = isRecord(body) ? body.body : undefined;
  if (text === undefined || text === null || text === '')
    return jiraError(400, [], { comment: 'Comment body can not be empty!' });
  const refused = richTextRefusal(
    ctx,
    text,
    'Comment body must be an Atlassian Document (see the Atlassian Document Format)',
    'Comment body must be a string',
  );
  if (refused) return { ...jiraError(400, [], { comment: refused.message }), headers: schemaHeader(refused) };
  const comment = pushComment(ctx, issue, text, !(isRecord(body) && internalProperty(body)));
  ctx.hooks?.commentCreated(ctx, issue, comment);
  return {
    status: 201,
    body: {
      ...comment,
      updated: comment.created,
      self: `${ctx.baseUrl}/rest/api/${ctx.version}/issue/${issue.id}/comment/${comment.id}`,
    },
  };
}

/** `properties: [{ key: 'sd.public.comment', value: { internal: true } }]`: the platform API's internal comment. */
function internalProperty(body: Record<string, unknown>): boolean {
  const props = Array.isArray(body.properties) ? (body.properties as unknown[]) : [];
  return props.some(
    (p) => isRecord(p) && p.key === 'sd.public.comment' && isRecord(p.value) && p.value.internal === true,
  );
}

/** Same `globalId` → update in place (200), otherwise create (201). Omitted fields are nulled. */
function upsertRemoteLink(req: EmuRequest, ctx: JiraContext, issue: EmuIssue): EmuResponse {
  const body = readJson(req);
  if (!isRecord(body) || !isRecord(body.object)) return jiraError(400, [], { object: 'object is required' });
  const errors: Record<string, string> = {};
  if (typeof body.object.url !== 'string' || !body.object.url) errors.url = "'url' is required";
  if (typeof body.object.title !== 'string' || !body.object.title) errors.title = "'title' is required";
  if (typeof body.globalId === 'string' && body.globalId.length > 255)
    errors.globalId = 'globalId is longer than 255 characters';
  if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
  const globalId = typeof body.globalId === 'string' ? body.globalId : null;
  const existing = globalId === null ? undefined : issue.remoteLinks.find((l) => l.globalId === globalId);
  const link = {
    id: existing?.id ?? 10000 + ctx.state.issues.reduce((n, i) => n + i.remoteLinks.length, 0),
    globalId,
    application: body.application ?? null,
    relationship: typeof body.relationship === 'string' ? body.relationship : null,
    object: body.object as { url: string; title: string },
  };
  if (existing) Object.assign(existing, link);
  else issue.remoteLinks.push(link);
  const self = `${ctx.baseUrl}/rest/api/${ctx.version}/issue/${issue.key}/remotelink/${link.id}`;
  return { status: existing ? 200 : 201, body: { id: link.id, self } };
}
