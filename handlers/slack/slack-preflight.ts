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

/**
 * The `response_url`s a Slack request carries, where the bridge would POST its answers: a slash
 * command's form field, an interaction's `payload.response_url`, a view submission's
 * `payload.response_urls[].response_url`. Unparseable bodies yield none (Bolt refuses them anyway).
 */
export function responseUrlsOf(rawBody: Buffer, contentType: string | undefined): string[] {
  if (!contentType?.startsWith('application/x-www-form-urlencoded')) return [];
  const form = new URLSearchParams(rawBody.toString('utf8'));
  const urls = form.getAll('response_url');
  const payload = form.get('payload');
  if (payload === null) return urls;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return urls;
  }
  const p = parsed as { response_url?: unknown; response_urls?: { response_url?: unknown }[] } | null;
  const found = [
    p?.response_url,
    ...(Array.isArray(p?.response_urls) ? p.response_urls : []).map((r) => r?.response_url),
  ];
  return [...urls, ...found.filter((u): u is string => typeof u === 'string')];
}
