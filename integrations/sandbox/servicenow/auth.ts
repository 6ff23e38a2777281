import { randomBytes } from 'node:crypto';
import type { EmuRequest, EmuResponse } from '../http-util';
import { snError } from './render';
import type { ServiceNowState } from './state';

/** Who is calling: the user name, or a 401 in ServiceNow's envelope. */
export function authenticate(req: EmuRequest, state: ServiceNowState, now: number): string | EmuResponse {
  const header = req.headers.authorization ?? '';
  const [scheme, credential = ''] = header.split(' ');
  if (scheme === 'Basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    const user = decoded.slice(0, sep);
    if (sep > 0 && state.passwords.get(user) === decoded.slice(sep + 1)) return user;
  } else if (scheme === 'Bearer') {
    const token = state.accessTokens.get(credential);
    if (token && token.expiresAt > now) return token.user;
  }
  return snError(401, 'User Not Authenticated', 'Required to provide Auth information');
}

/**
 * `POST /oauth_token.do`, form-encoded: `grant_type=password` (client + user credentials) and
 * `grant_type=refresh_token`. client_credentials is disabled by default on real instances, so here too.
 */
export function issueToken(
  req: EmuRequest,
  state: ServiceNowState,
  now: number,
  ttlSeconds: number,
): EmuResponse {
  const form = new URLSearchParams(req.body.toString('utf8'));
  const clientId = form.get('client_id') ?? '';
  const denied: EmuResponse = {
    status: 401,
    body: { error: 'access_denied', error_description: 'access_denied' },
  };
  if (!clientId || state.oauthClients.get(clientId) !== form.get('client_secret')) return denied;
  let user: string | undefined;
  const grant = form.get('grant_type');
  if (grant === 'password') {
    const name = form.get('username') ?? '';
    if (state.passwords.get(name) === form.get('password')) user = name;
  } else if (grant === 'refresh_token') {
    const rt = state.refreshTokens.get(form.get('refresh_token') ?? '');
    if (rt && rt.clientId === clientId) user = rt.user;
  } else {
    return { status: 400, body: { error: 'unsupported_grant_type', error_description: `${grant}` } };
  }
  if (!user) return denied;
  const accessToken = randomBytes(24).toString('base64url');
  const refreshToken = randomBytes(24).toString('base64url');
  state.accessTokens.set(accessToken, { user, expiresAt: now + ttlSeconds * 1000 });
  state.refreshTokens.set(refreshToken, { user, clientId });
  return {
    status: 200,
    body: {
      access_token: accessToken,
      refresh_token: refreshToken,
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: ttlSeconds,
    },
  };
}
