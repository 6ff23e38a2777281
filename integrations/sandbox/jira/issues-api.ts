import {
  issueNotFound,
  jiraError,
  logChange,
  perIssueWriteCheck,
  renderIssue,
  type JiraContext,
} from './context';
import { isRecord, parseJson, type EmuRequest, type EmuResponse } from '../http-util';
import { findIssue, type EmuIssue } from './state';
import { richTextRefusal, schemaHeader } from './rich-text';
import { readAssignee } from './users-api';

const SETTABLE = new Set([
  'project',
  'issuetype',
  'summary',
  'description',
  'priority',
  'labels',
  'assignee',
]);

/** `POST /issue`: validates like Jira (mandatory fields, ADF in v3, wiki string in v2, screen fields). */
export function createIssue(req: EmuRequest, ctx: JiraContext): EmuResponse {
  const body = readJson(req);
  if (!isRecord(body) || !isRecord(body.fields)) return jiraError(400, ['Request body must contain fields.']);
  const f = body.fields;
  const errors: Record<string, string> = {};
  const projectRef = isRecord(f.project) ? (f.project.key ?? f.project.id) : undefined;
  const project = ctx.state.projects.find((p) => p.key === projectRef || p.id === projectRef);
  if (!project)
    errors.project = projectRef === undefined ? 'project is required' : 'Specify a valid project ID or key';
  const typeRef = isRecord(f.issuetype) ? (f.issuetype.name ?? f.issuetype.id) : undefined;
  if (typeRef === undefined) errors.issuetype = 'Specify an issue type';
  else if (project && !project.issueTypes.includes(String(typeRef)))
    errors.issuetype = 'Specify a valid issue type';
  if (typeof f.summary !== 'string' || f.summary.trim() === '')
    errors.summary = 'You must specify a summary of the issue.';
  else if (f.summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
  const headers: Record<string, string> = {};
  Object.assign(errors, fieldErrors(ctx, f, headers));
  if (Object.keys(errors).length > 0) return { ...jiraError(400, [], errors), headers };
  const id = String(ctx.state.nextId++);
  const n = (ctx.state.nextKey.get(project!.key) ?? 1) as number;
  ctx.state.nextKey.set(project!.key, n + 1);
  const now = ctx.now();
  const issue: EmuIssue = {
    id,
    key: `${project!.key}-${n}`,
    projectKey: project!.key,
    summary: String(f.summary),
    description: f.description ?? null,
    issueType: String(typeRef),
    priority: isRecord(f.priority) ? String(f.priority.name ?? priorityName(ctx, f.priority.id)) : 'Medium',
    labels: Array.isArray(f.labels) ? f.labels.map(String) : [],
    statusId: ctx.state.statuses.find((s) => s.category === 'new')?.id ?? '10000',
    resolution: null,
    assignee: assigneeOf(ctx, f),
    created: now,
    updated: now,
    indexedAt: now + ctx.searchLagMs,
    comments: [],
    remoteLinks: [],
    attachments: [],
    properties: new Map(),
    changelog: [],
  };
  // Entity properties can be set atomically with the create (IssueUpdateDetails.properties).
  if (Array.isArray(body.properties)) {
    for (const p of body.properties)
      if (isRecord(p) && typeof p.key === 'string') issue.properties.set(p.key, p.value);
  }
  ctx.state.issues.push(issue);
  return {
    status: 201,
    body: { id, key: issue.key, self: `${ctx.baseUrl}/rest/api/${ctx.version}/issue/${id}` },
  };
}

/** `GET /issue/{idOrKey}?fields=&properties=`. */
export function getIssue(req: EmuRequest, ctx: JiraContext, idOrKey: string): EmuResponse {
  const issue = findIssue(ctx.state, idOrKey);
  if (!issue) return issueNotFound();
  const fields = req.query.get('fields')?.split(',') ?? null;
  const properties = req.query.get('properties')?.split(',') ?? [];
  return { status: 200, body: renderIssue(ctx, issue, fields, properties) };
}

/** `PUT /issue/{idOrKey}` with `fields` and/or `update.labels` → 204. */
export function editIssue(req: EmuRequest, ctx: JiraContext, idOrKey: string): EmuResponse {
  const issue = findIssue(ctx.state, idOrKey);
  if (!issue) return issueNotFound();
  const body = readJson(req);
  if (!isRecord(body)) return jiraError(400, ['Request body is missing.']);
  const f = isRecord(body.fields) ? body.fields : {};
  const headers: Record<string, string> = {};
  const errors = fieldErrors(ctx, f, headers);
  if ('summary' in f && (typeof f.summary !== 'string' || !f.summary.trim()))
    errors.summary = 'You must specify a summary of the issue.';
  if (Object.keys(errors).length > 0) return { ...jiraError(400, [], errors), headers };
  const limited = perIssueWriteCheck(ctx, issue);
  if (limited) return limited;
  const labelsBefore = issue.labels.join(' ');
  const priorityBefore = issue.priority;
  if (typeof f.summary === 'string') issue.summary = f.summary;
  if ('description' in f) issue.description = f.description;
  if (isRecord(f.priority)) issue.priority = String(f.priority.name ?? priorityName(ctx, f.priority.id));
  if (Array.isArray(f.labels)) issue.labels = f.labels.map(String);
  const ops = isRecord(body.update) && Array.isArray(body.update.labels) ? body.update.labels : [];
  for (const op of ops) {
    if (isRecord(op) && typeof op.add === 'string' && !issue.labels.includes(op.add))
      issue.labels.push(op.add);
    if (isRecord(op) && typeof op.remove === 'string')
      issue.labels = issue.labels.filter((l) => l !== op.remove);
  }
  const labelsAfter = issue.labels.join(' ');
  const assigneeBefore = issue.assignee ?? null;
  if ('assignee' in f) issue.assignee = assigneeOf(ctx, f);
  const assigneeAfter = issue.assignee ?? null;
  const displayName = (id: string | null) =>
    id === null ? null : (ctx.state.users.find((u) => u.accountId === id)?.displayName ?? id);
  const priorityId = (name: string) => ctx.state.priorities.find((p) => p.name === name)?.id ?? null;
  logChange(ctx, issue, [
    // The SLA report's Jira source reads the priority history from these entries.
    ...(priorityBefore === issue.priority
      ? []
      : [
          {
            field: 'priority',
            from: priorityId(priorityBefore),
            fromString: priorityBefore,
            to: priorityId(issue.priority),
            toString: issue.priority,
          },
        ]),
    ...(labelsBefore === labelsAfter
      ? []
      : [{ field: 'labels', from: null, fromString: labelsBefore, to: null, toString: labelsAfter }]),
    ...(assigneeBefore === assigneeAfter
      ? []
      : [
          {
            field: 'assignee',
            from: assigneeBefore,
            fromString: displayName(assigneeBefore),
            to: assigneeAfter,
            toString: displayName(assigneeAfter),
          },
        ]),
  ]);
  issue.updated = ctx.now();
  return { status: 204 };
}

/** Screen/format checks shared by create and edit; `headers` receives the ADF schema's reason. */
function fieldErrors(
  ctx: JiraContext,
  f: Record<string, unknown>,
  headers: Record<string, string>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const key of Object.keys(f)) {
    if (!SETTABLE.has(key))
      errors[key] = `Field '${key}' cannot be set. It is not on the appropriate screen, or unknown.`;
  }
  if (f.description !== undefined && f.description !== null) {
    const refused = richTextRefusal(
      ctx,
      f.description,
      'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
      'Operation value must be a string',
    );
    if (refused) errors.description = refused.message;
    Object.assign(headers, schemaHeader(refused));
  }
  if (f.priority !== undefined) {
    const ref = isRecord(f.priority) ? (f.priority.name ?? f.priority.id) : undefined;
    if (!ctx.state.priorities.some((p) => p.name === ref || p.id === ref))
      errors.priority = `Specify a valid priority (name or id): ${String(ref)}`;
  }
  if (f.assignee !== undefined) {
    const assignee = readAssignee(ctx, f.assignee);
    if ('error' in assignee) errors.assignee = assignee.error;
  }
  if (f.labels !== undefined) {
    const bad = Array.isArray(f.labels)
      ? f.labels.find((l) => typeof l !== 'string' || /\s/.test(l))
      : f.labels;
    if (bad !== undefined) errors.labels = `The label '${String(bad)}' contains spaces which is invalid.`;
  }
  return errors;
}

/** The validated assignee's accountId (fieldErrors has rejected anything else); null when absent. */
const assigneeOf = (ctx: JiraContext, f: Record<string, unknown>): string | null => {
  if (f.assignee === undefined) return null;
  const a = readAssignee(ctx, f.assignee);
  return 'accountId' in a ? a.accountId : null;
};

const priorityName = (ctx: JiraContext, id: unknown): string =>
  ctx.state.priorities.find((p) => p.id === id)?.name ?? 'Medium';

export function readJson(req: EmuRequest): unknown {
  try {
    return parseJson(req.body);
  } catch {
    return Symbol.for('invalid-json');
  }
}
