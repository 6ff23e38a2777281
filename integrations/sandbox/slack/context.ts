import type { EmuRequest, EmuResponse } from '../http-util';
import type { SlackState } from './state';

/** Method arguments, merged from the query string and the body (JSON, form-urlencoded or multipart). */
export type Params = Record<string, unknown>;

/** What every Web API method handler needs. */
export interface SlackContext {
  state: SlackState;
  now: () => number;
  /** Public base URL including the mount prefix (upload URLs point here). */
  baseUrl: string;
  params: Params;
}

/** Slack answers HTTP 200 for everything but 429/5xx; errors are `{"ok":false,"error":"…"}`. */
export const slackOk = (body: Record<string, unknown> = {}): EmuResponse => ({
  status: 200,
  body: { ok: true, ...body },
});

export const slackFail = (error: string, extra: Record<string, unknown> = {}): EmuResponse => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

/** `invalid_blocks`/`invalid_arguments` carry the offending JSON pointers, as Slack does. */
export const slackInvalid = (error: string, messages: string[]): EmuResponse =>
  slackFail(error, {
    errors: messages,
    response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) },
  });

/** Slack's 429: `Retry-After` in seconds and `ratelimited` in the body. */
export const slackRateLimited = (retryAfterSeconds: number): EmuResponse => ({
  status: 429,
  headers: { 'Retry-After': String(retryAfterSeconds) },
  body: { ok: false, error: 'ratelimited' },
});

export const str = (p: Params, name: string): string | undefined => {
  const v = p[name];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
};

export const bool = (p: Params, name: string): boolean => p[name] === true || p[name] === 'true';

/**
 * A structured argument (`blocks`, `view`, `files`, `metadata`): WebClient sends these form-encoded as JSON
 * strings, JSON callers send them inline. `undefined` when absent, a SyntaxError when unreadable.
 */
export function jsonArg(p: Params, name: string): unknown {
  const v = p[name];
  if (typeof v !== 'string') return v;
  if (v === '') return undefined;
  return JSON.parse(v) as unknown;
}

/** Reads the arguments and whether the body was JSON (JSON bodies must carry the token in the header). */
export async function readParams(req: EmuRequest): Promise<{ params: Params; json: boolean } | EmuResponse> {
  const params: Params = Object.fromEntries(req.query.entries());
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (req.body.length === 0) return { params, json: false };
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body.toString('utf8'));
    } catch {
      return slackFail('invalid_json');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return slackFail('invalid_json');
    return { params: { ...params, ...(parsed as Params) }, json: true };
  }
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(req.body, { headers: { 'content-type': type } }).formData();
    for (const [k, v] of form.entries())
      params[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
    return { params, json: false };
  }
  for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params[k] = v;
  return { params, json: false };
}

/**
 * `Authorization: Bearer xoxb-…`, or a `token` argument in form/query bodies (Slack ignores it in JSON
 * bodies). Nothing → `not_authed`; unknown → `invalid_auth`.
 */
export function authenticate(
  req: EmuRequest,
  state: SlackState,
  p: Params,
  json: boolean,
): EmuResponse | null {
  const [scheme, credential] = (req.headers.authorization ?? '').split(' ');
  const token =
    scheme?.toLowerCase() === 'bearer' && credential ? credential : json ? undefined : str(p, 'token');
  if (!token) return slackFail('not_authed');
  return state.tokens.has(token) ? null : slackFail('invalid_auth');
}

/** `missing_scope` with `needed`/`provided`, as Slack reports a scope the app was not granted. */
export function requireScope(ctx: SlackContext, scope: string | null): EmuResponse | null {
  if (scope === null || ctx.state.scopes.has(scope)) return null;
  return slackFail('missing_scope', { needed: scope, provided: [...ctx.state.scopes].join(',') });
}
