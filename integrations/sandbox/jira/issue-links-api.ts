import { isRecord, type EmuRequest, type EmuResponse } from '../http-util';
import { issueNotFound, jiraError, type JiraContext } from './context';
import { readJson } from './issues-api';
import { ISSUE_LINK_TYPES } from './issue-links';
import { findIssue } from './state';

const issueRef = (body: unknown): string | null => {
  if (!isRecord(body)) return null;
  const v = body.key ?? body.id;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
};

/**
 * `POST /issueLink` → 201 with an empty body, as Jira answers
 * (developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-links). The type is looked up by
 * name (or id); the same link twice is not stored twice.
 */
export function createIssueLink(req: EmuRequest, ctx: JiraContext): EmuResponse {
  const body = readJson(req);
  if (!isRecord(body) || !isRecord(body.type))
    return jiraError(400, [], { type: 'Issue link type is required.' });
  const wanted = body.type.name ?? body.type.id;
  const type = ISSUE_LINK_TYPES.find((t) => t.name === wanted || t.id === wanted);
  if (!type) return jiraError(404, [`No issue link type with name '${String(wanted)}' found.`]);
  const inKey = issueRef(body.inwardIssue);
  const outKey = issueRef(body.outwardIssue);
  if (!inKey || !outKey) return jiraError(400, [], { issues: 'inwardIssue and outwardIssue are required.' });
  const inward = findIssue(ctx.state, inKey);
  const outward = findIssue(ctx.state, outKey);
  if (!inward || !outward) return issueNotFound();
  if (inward.id === outward.id) return jiraError(400, ['You cannot link an issue to itself.']);
  const links = ctx.state.issueLinks;
  const same = links.some(
    (l) => l.type === type.name && l.inwardId === inward.id && l.outwardId === outward.id,
  );
  if (!same)
    links.push({
      id: String(10000 + links.length),
      type: type.name,
      inwardId: inward.id,
      outwardId: outward.id,
    });
  return { status: 201, raw: '' };
}
