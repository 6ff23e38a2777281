import { jiraError, type JiraContext } from './context';
import type { EmuRequest, EmuResponse } from '../http-util';
import type { JiraUser } from './state';

/**
 * `GET /rest/api/3/user/search?query=` (Cloud): active users whose display name (any word) or e-mail
 * starts with the query, case-insensitively. `GET /rest/api/2/user/search?username=` (Data Center) also
 * matches the username. Paged by `startAt` / `maxResults` (default 50); the answer is a bare array.
 */
export function searchUsers(req: EmuRequest, ctx: JiraContext): EmuResponse {
  const q = req.query;
  const term = ctx.version === 3 ? q.get('query') : q.get('username');
  const accountId = ctx.version === 3 ? q.get('accountId') : null;
  if (!term && !accountId) {
    return jiraError(400, [
      ctx.version === 3
        ? "One of 'query', 'accountId' or 'property' query parameters must be provided."
        : "The 'username' query parameter was not provided",
    ]);
  }
  if (ctx.version === 3 && q.has('username')) {
    return jiraError(400, [
      "'accountId' must be the only user identifying query parameter in GDPR strict mode.",
    ]);
  }
  const needle = (term ?? '').toLowerCase();
  const hits = ctx.state.users.filter((u) => {
    if (!u.active) return false;
    if (accountId) return u.accountId === accountId;
    const words = [
      u.emailAddress,
      u.displayName,
      ...u.displayName.split(/\s+/),
      ...(ctx.version === 2 ? [u.name] : []),
    ];
    return words.some((w) => w.toLowerCase().startsWith(needle));
  });
  const startAt = Math.max(0, Number(q.get('startAt') ?? 0) || 0);
  const maxResults = Math.max(0, Number(q.get('maxResults') ?? 50) || 50);
  return {
    status: 200,
    body: hits.slice(startAt, startAt + maxResults).map((u) => renderUser(ctx, u)),
  };
}

/**
 * `GET /rest/api/3/user?accountId=` (Cloud) or `/rest/api/2/user?username=` (Data Center): one user, the
 * e-mail included (the sandbox's profiles all show it), or 404.
 */
export function getUser(req: EmuRequest, ctx: JiraContext): EmuResponse {
  const id = ctx.version === 3 ? req.query.get('accountId') : req.query.get('username');
  if (!id)
    return jiraError(400, [
      ctx.version === 3
        ? "The 'accountId' query parameter needs to be provided"
        : "The 'username' query parameter was not provided",
    ]);
  const user = ctx.state.users.find((u) => (ctx.version === 3 ? u.accountId : u.name) === id);
  return user
    ? { status: 200, body: renderUser(ctx, user) }
    : jiraError(404, [`Specified user does not exist or you do not have required permissions`]);
}

/** A user as Jira renders it: Cloud by accountId (+ accountType), Data Center by name/key. */
export function renderUser(ctx: JiraContext, u: JiraUser): Record<string, unknown> {
  const common = {
    emailAddress: u.emailAddress,
    displayName: u.displayName,
    active: u.active,
    timeZone: 'Europe/Berlin',
    avatarUrls: {},
  };
  return ctx.version === 3
    ? {
        self: `${ctx.baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`,
        accountId: u.accountId,
        accountType: u.accountType,
        ...common,
      }
    : {
        self: `${ctx.baseUrl}/rest/api/2/user?username=${encodeURIComponent(u.name)}`,
        key: u.name,
        name: u.name,
        ...common,
      };
}

/**
 * The `assignee` field of a create/edit: `null` unassigns; Cloud takes `{accountId}` only (GDPR strict
 * mode), Data Center `{name}`. Returns the accountId to store, or Jira's field error.
 */
export function readAssignee(
  ctx: JiraContext,
  value: unknown,
): { accountId: string | null } | { error: string } {
  if (value === null) return { accountId: null };
  const ref = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (ctx.version === 3) {
    if (typeof ref.accountId !== 'string') {
      return {
        error:
          typeof ref.name === 'string'
            ? "'accountId' must be the only user identifying query parameter in GDPR strict mode."
            : "expected Object containing a 'accountId' property",
      };
    }
    const user = ctx.state.users.find((u) => u.accountId === ref.accountId && u.active);
    return user
      ? { accountId: user.accountId }
      : { error: `Specified user does not exist or you do not have required permissions` };
  }
  if (typeof ref.name !== 'string') return { error: "expected Object containing a 'name' property" };
  const user = ctx.state.users.find((u) => u.name === ref.name && u.active);
  return user ? { accountId: user.accountId } : { error: `User '${ref.name}' does not exist.` };
}
