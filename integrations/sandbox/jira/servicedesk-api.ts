import { issueNotFound, jiraError, perIssueWriteCheck, type JiraContext } from './context';
import { isRecord, type EmuRequest, type EmuResponse } from '../http-util';
import { pushComment } from './issue-extras-api';
import { readJson } from './issues-api';
import { TEXT_LIMIT, TEXT_TOO_LONG } from './rich-text';
import { findIssue } from './state';
import { renderUser } from './users-api';

/** A JSM plain-text body as the platform API shows it on Cloud: one ADF paragraph per non-empty line. */
const asAdf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })),
});

/**
 * `POST /rest/servicedeskapi/request/{issueIdOrKey}/comment` — Jira Service Management's comment on a
 * customer request: `body` is plain text, `public` false makes it internal (agents only). The comment is
 * an issue comment like any other (the platform API and webhooks show it, with `jsdPublic`).
 */
export function addRequestComment(req: EmuRequest, ctx: JiraContext, idOrKey: string): EmuResponse {
  const issue = findIssue(ctx.state, idOrKey);
  if (!issue) return issueNotFound();
  const limited = perIssueWriteCheck(ctx, issue);
  if (limited) return limited;
  const body = readJson(req);
  if (!isRecord(body) || typeof body.body !== 'string' || body.body.trim() === '')
    return jiraError(400, ['The comment body must not be empty.']);
  if (body.public !== undefined && typeof body.public !== 'boolean')
    return jiraError(400, ["'public' must be a boolean."]);
  if (body.body.length > TEXT_LIMIT) return jiraError(400, [TEXT_TOO_LONG]);
  const stored = ctx.version === 3 ? asAdf(body.body) : body.body;
  const comment = pushComment(ctx, issue, stored, body.public !== false);
  ctx.hooks?.commentCreated(ctx, issue, comment);
  const author = ctx.state.users.find((u) => u.accountId === comment.author);
  return {
    status: 201,
    body: {
      id: comment.id,
      body: body.body,
      public: comment.jsdPublic,
      author: author ? renderUser(ctx, author) : { accountId: comment.author },
      created: { iso8601: comment.created, jira: comment.created },
    },
  };
}
