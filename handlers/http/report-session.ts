import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Secret } from '../../src/config/secret';
import { bearerMatches, safeEqual } from './auth';

export const SESSION_COOKIE = 'itsm_session';
/** A browser session lasts a working day; then the login page asks for the token again. */
export const SESSION_SECONDS = 8 * 3600;

/** HMAC of the expiry under the API token: valid only for this token, this expiry and this purpose. */
function mac(token: Secret, expires: number): string {
  return createHmac('sha256', token.reveal())
    .update(`itsm-bridge reports session v1 ${expires}`)
    .digest('base64url');
}

/**
 * The value of the session cookie set after the login page: `v1.<expiry>.<HMAC>`, never the token
 * itself. Stateless, so it survives restarts; rotating the API token ends every session.
 */
export function sessionValue(token: Secret, nowMs: number): string {
  const expires = Math.floor(nowMs / 1000) + SESSION_SECONDS;
  return `v1.${expires}.${mac(token, expires)}`;
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** True when the request carries an unexpired session cookie made with this token. */
export function sessionValid(req: IncomingMessage, token: Secret, nowMs: number): boolean {
  const m = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(cookie(req, SESSION_COOKIE) ?? '');
  if (!m) return false;
  const expires = Number(m[1]);
  return expires > nowMs / 1000 && safeEqual(m[2] ?? '', mac(token, expires));
}

/** The reports accept the API token as a bearer (scripts) or a session cookie (browsers). */
export function reportsAuthorized(req: IncomingMessage, token: Secret, nowMs: number): boolean {
  return bearerMatches(req, token) || sessionValid(req, token, nowMs);
}

/** True when the request reached us over https (directly or via a proxy that says so). */
export function viaHttps(req: IncomingMessage): boolean {
  const socket = req.socket as { encrypted?: boolean };
  return socket.encrypted === true || req.headers['x-forwarded-proto'] === 'https';
}

/** `Set-Cookie` for a session (or, with null, for ending it): HttpOnly, SameSite=Strict, Secure on https. */
export function sessionCookie(req: IncomingMessage, value: string | null): string {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${value === null ? 0 : SESSION_SECONDS}`];
  if (viaHttps(req)) attrs.push('Secure');
  return `${SESSION_COOKIE}=${value ?? ''}; ${attrs.join('; ')}`;
}
