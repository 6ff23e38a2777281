import type { IncomingHttpHeaders } from 'node:http';

/** Bolt's window (slackapi/bolt-js `verify-request.ts`): a signature older than 5 minutes is stale. */
const WINDOW_SECONDS = 5 * 60;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

/**
 * What can be checked before the body is read: the signature needs the body, but its two headers
 * must be there, well-formed and fresh. Returns the reason to refuse, or null to go on and read the
 * (bounded) body for Bolt's HMAC check. Slack signs every request it sends, `ssl_check` included.
 */
export function slackPreflightProblem(headers: IncomingHttpHeaders, nowMs: number): string | null {
  const ts = headers['x-slack-request-timestamp'];
  const sig = headers['x-slack-signature'];
  if (typeof ts !== 'string' || !/^\d{1,12}$/.test(ts))
    return 'missing or malformed X-Slack-Request-Timestamp header';
  if (typeof sig !== 'string' || !SIGNATURE.test(sig)) return 'missing or malformed X-Slack-Signature header';
  if (Math.abs(nowMs / 1000 - Number(ts)) > WINDOW_SECONDS)
    return 'X-Slack-Request-Timestamp is more than 5 minutes away from now';
  return null;
}
