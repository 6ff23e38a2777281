import type { EmuResponse } from '../http-util';
import { requireScope, slackFail, slackOk, str, type SlackContext } from './context';
import { findUser, type SeedUser } from './state';

export function authTest(ctx: SlackContext): EmuResponse {
  const s = ctx.state;
  return slackOk({
    url: `https://${s.teamName.toLowerCase()}.slack.com/`,
    team: s.teamName,
    user: 'itsm-bridge',
    team_id: s.teamId,
    user_id: s.botUserId,
    bot_id: s.botId,
    is_enterprise_install: false,
  });
}

/** The user object; `profile.email` only with `users:read.email`, as on Slack. */
function renderUser(ctx: SlackContext, u: SeedUser): Record<string, unknown> {
  const realName = u.real_name ?? u.name;
  const withEmail = ctx.state.scopes.has('users:read.email') && u.email;
  return {
    id: u.id,
    team_id: ctx.state.teamId,
    name: u.name,
    real_name: realName,
    deleted: u.deleted ?? false,
    is_bot: u.isBot ?? false,
    tz: u.tz ?? 'Europe/Berlin',
    profile: {
      real_name: realName,
      display_name: u.name,
      ...(withEmail ? { email: u.email } : {}),
    },
  };
}

export function usersInfo(ctx: SlackContext): EmuResponse {
  const denied = requireScope(ctx, 'users:read');
  if (denied) return denied;
  const user = findUser(ctx.state, str(ctx.params, 'user') ?? '');
  return user ? slackOk({ user: renderUser(ctx, user) }) : slackFail('user_not_found');
}

export function lookupByEmail(ctx: SlackContext): EmuResponse {
  const denied = requireScope(ctx, 'users:read.email');
  if (denied) return denied;
  const email = (str(ctx.params, 'email') ?? '').toLowerCase();
  const user = ctx.state.users.find((u) => u.email?.toLowerCase() === email && !u.deleted);
  return user ? slackOk({ user: renderUser(ctx, user) }) : slackFail('users_not_found');
}

export function usergroupUsers(ctx: SlackContext): EmuResponse {
  const denied = requireScope(ctx, 'usergroups:read');
  if (denied) return denied;
  const users = ctx.state.usergroups.get(str(ctx.params, 'usergroup') ?? '');
  return users ? slackOk({ users }) : slackFail('no_such_subteam');
}
