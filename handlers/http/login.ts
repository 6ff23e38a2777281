import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Secret } from '../../src/config/secret';
import { escapeXml as esc } from '../../src/report/svg-charts';
import { safeEqual } from './auth';
import type { Logger } from '../../src/ports/logger';
import { LOGIN_FAILURES, loginClient, type LoginAttempts } from './login-attempts';
import { BodyTooLargeError, readBody } from './read-body';
import { sendError } from './respond';
import { sessionCookie, sessionValue } from './report-session';
import { htmlPageCsp } from './security-headers';

const CSS =
  'body{font:15px/1.4 system-ui,sans-serif;margin:3rem auto;max-width:26rem;color:#1d2430}input{width:100%;padding:.4rem;margin:.3rem 0 .8rem}button{padding:.4rem 1rem}.error{color:#a00}';

/** Only our own report pages may be the target after login (no open redirect). */
export function safeNext(next: string | null): string {
  return next && /^\/reports(\/[A-Za-z/]*)?(\?[^\s\\]*)?$/.test(next) ? next : '/reports';
}

/** Sends one of our HTML pages with its CSP (style hashes) and no caching. */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  head = false,
  headers = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    'content-security-policy': htmlPageCsp(html),
    ...headers,
  });
  res.end(head ? undefined : html);
}

function loginPage(next: string, error: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>itsm-bridge · sign in</title><style>${CSS}</style></head>
<body>
<h1>SLA reports</h1>
<p>Sign in with the bridge's API token (<code>API_TOKEN</code>).</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/login" id="login">
<input type="hidden" name="next" value="${esc(next)}">
<label for="token">API token</label>
<input type="password" id="token" name="token" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</body></html>
`;
}

/** What the login routes need. */
export interface LoginDeps {
  apiToken: Secret;
  now: () => number;
  /** Failed sign-ins per client: one per server, so the count outlives each request. */
  attempts: LoginAttempts;
  logger?: Logger;
}

/**
 * 429 for a client over its failed sign-ins: the login page with the reason for a browser, our JSON
 * error for anything else; Retry-After either way. The token is not checked at all meanwhile.
 */
function tooManyAttempts(req: IncomingMessage, res: ServerResponse, next: string, seconds: number): void {
  const message = `Too many failed sign-ins from this address: try again in ${seconds} s.`;
  const headers = { 'retry-after': String(seconds), 'cache-control': 'no-store' };
  if ((req.headers.accept ?? '').includes('text/html'))
    return sendHtml(res, 429, loginPage(next, message), false, headers);
  sendError(res, 429, 'too_many_login_attempts', message, { headers });
}

/**
 * `GET /login` (the form), `POST /login` (checks the token, sets the session cookie, 303 to the page
 * asked for) and `POST /logout` (ends the session). The cookie holds an HMAC, never the token. After
 * `LOGIN_FAILURES` wrong tokens in `LOGIN_WINDOW_SECONDS` a client gets 429 until the oldest ages out;
 * signing in starts it afresh.
 */
export async function handleLogin(
  deps: LoginDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (url.pathname === '/logout') {
    if (req.method !== 'POST')
      return sendHtml(res, 405, loginPage('/reports', 'use POST'), false, { allow: 'POST' });
    res.writeHead(303, {
      location: '/login',
      'set-cookie': sessionCookie(req, null),
      'cache-control': 'no-store',
    });
    return void res.end();
  }
  if (req.method === 'GET' || req.method === 'HEAD')
    return sendHtml(res, 200, loginPage(safeNext(url.searchParams.get('next')), null), req.method === 'HEAD');
  if (req.method !== 'POST')
    return sendHtml(res, 405, loginPage('/reports', 'use GET or POST'), false, { allow: 'GET, HEAD, POST' });
  let form: URLSearchParams;
  try {
    form = new URLSearchParams((await readBody(req, 4096)).toString('utf8'));
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    return sendHtml(res, 413, loginPage('/reports', 'the form is larger than 4 KB'), false, {
      connection: 'close',
    });
  }
  const next = safeNext(form.get('next'));
  const client = loginClient(req);
  const wait = deps.attempts.retryAfter(client);
  if (wait > 0) {
    deps.logger?.debug('login refused: too many failed sign-ins', { client, retryAfterSeconds: wait });
    return tooManyAttempts(req, res, next, wait);
  }
  const token = form.get('token') ?? '';
  if (!safeEqual(token, deps.apiToken.reveal())) {
    // Who and how often, never what was typed.
    const failures = deps.attempts.failed(client);
    deps.logger?.warn('login failed: not the API token', { client, failures, limit: LOGIN_FAILURES });
    return sendHtml(res, 401, loginPage(next, 'That is not the API token.'));
  }
  deps.attempts.succeeded(client);
  deps.logger?.info('login succeeded', { client });
  res.writeHead(303, {
    location: next,
    'set-cookie': sessionCookie(req, sessionValue(deps.apiToken, deps.now())),
    'cache-control': 'no-store',
  });
  res.end();
}
