import { request } from 'node:http';
import type { Logger } from '../../src/ports/logger';
import { API_TOKEN, ManualClock, startTestApp, type TestApp } from '../helpers/test-app';

const WRONG = 'guess-Zq7-not-the-token';

/** POST /login from one loopback address (Linux routes all of 127/8 to lo): a client of its own. */
function signIn(
  url: string,
  token: string,
  o: { from?: string; accept?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const body = new URLSearchParams({ token, next: '/reports' }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/login`,
      {
        method: 'POST',
        localAddress: o.from ?? '127.0.0.1',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          accept: o.accept ?? '*/*',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The login of the real server, limited per client: 5 failed sign-ins per 15 minutes. */
describe('login rate limit', () => {
  let app: TestApp;
  let clock: ManualClock;
  let logs: { level: string; message: string; fields: unknown }[];
  const logger: Logger = {
    debug: (message, fields) => logs.push({ level: 'debug', message, fields }),
    info: (message, fields) => logs.push({ level: 'info', message, fields }),
    warn: (message, fields) => logs.push({ level: 'warn', message, fields }),
    error: (message, fields) => logs.push({ level: 'error', message, fields }),
  };
  beforeEach(async () => {
    logs = [];
    clock = new ManualClock(Date.parse('2026-11-27T12:00:00Z'));
    app = await startTestApp({ clock, logger });
  });
  afterEach(() => app.close());

  const failTimes = async (n: number, from?: string) => {
    for (let i = 0; i < n; i++) expect((await signIn(app.url, WRONG, { from })).status).toBe(401);
  };

  it('answers 429 with Retry-After and a JSON reason after five wrong tokens, even to the right one, until the window has passed', async () => {
    await failTimes(5);
    const refused = await signIn(app.url, API_TOKEN);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('900');
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(refused.body)).toEqual({
      error: 'too_many_login_attempts',
      message: 'Too many failed sign-ins from this address: try again in 900 s.',
    });
    expect(refused.headers['set-cookie']).toBeUndefined();

    // The window slides from the oldest failure: five minutes later, ten are left.
    clock.advance(300);
    const browser = await signIn(app.url, API_TOKEN, { accept: 'text/html' });
    expect(browser.status).toBe(429);
    expect(browser.headers['retry-after']).toBe('600');
    expect(browser.body).toContain('Too many failed sign-ins from this address: try again in 600 s.');

    clock.advance(600);
    const ok = await signIn(app.url, API_TOKEN);
    expect(ok.status).toBe(303);
    expect(ok.headers['set-cookie']).toEqual([expect.stringMatching(/^itsm_session=v1\./)]);
  });

  it('counts per client: another address still signs in while one is refused', async () => {
    await failTimes(5, '127.0.0.1');
    expect((await signIn(app.url, WRONG, { from: '127.0.0.1' })).status).toBe(429);
    expect((await signIn(app.url, API_TOKEN, { from: '127.0.0.2' })).status).toBe(303);
    await failTimes(4, '127.0.0.2');
  });

  it('starts a client afresh after it signs in: four wrong, right, four wrong again are not refused', async () => {
    await failTimes(4);
    expect((await signIn(app.url, API_TOKEN)).status).toBe(303);
    await failTimes(4);
    expect((await signIn(app.url, API_TOKEN)).status).toBe(303);
  });

  it('logs each failure with the client and the count, and never what was typed', async () => {
    await failTimes(5);
    await signIn(app.url, API_TOKEN);
    const login = logs.filter((l) => l.message.startsWith('login'));
    expect(login.map((l) => [l.level, l.message, l.fields])).toEqual([
      ...[1, 2, 3, 4, 5].map((failures) => [
        'warn',
        'login failed: not the API token',
        { client: '127.0.0.1', failures, limit: 5 },
      ]),
      ['debug', 'login refused: too many failed sign-ins', { client: '127.0.0.1', retryAfterSeconds: 900 }],
    ]);
    const text = JSON.stringify(logs);
    expect(text).not.toContain(WRONG);
    expect(text).not.toContain(API_TOKEN);
  });
});
