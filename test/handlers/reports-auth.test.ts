import { createHash } from 'node:crypto';
import { API_TOKEN, ManualClock, startTestApp, type TestApp } from '../helpers/test-app';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

describe('reports behind the API token or a login session (issue 12, finding 8)', () => {
  let app: TestApp;
  const clock = new ManualClock(Date.parse('2026-11-27T12:00:00Z'));
  beforeAll(async () => {
    app = await startTestApp({ clock });
  });
  afterAll(() => app.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, { headers, redirect: 'manual' });

  it.each([
    '/reports/sla?month=2026-10&format=json',
    '/reports/sla/explain?ticket=INC1&month=2026-10',
    '/reports',
  ])('answers 401 without a token: %s', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    expect((await get(path, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
  });

  it('sends a browser to the login page and back', async () => {
    const res = await get('/reports?month=2026-10', { accept: 'text/html,application/xhtml+xml' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Freports%3Fmonth%3D2026-10');
    const login = await get('/login?next=%2Freports%3Fmonth%3D2026-10');
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<input type="hidden" name="next" value="/reports?month=2026-10">');
  });

  it('serves the reports with the bearer token', async () => {
    const res = await get('/reports/sla?month=2026-10&format=json', { authorization: `Bearer ${API_TOKEN}` });
    expect(res.status).toBe(200);
  });

  it('logs in with the token: an HttpOnly, SameSite=Strict cookie that is not the token, then the page', async () => {
    const wrong = await fetch(`${app.url}/login`, form({ token: 'nope', next: '/reports' }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const ok = await fetch(
      `${app.url}/login`,
      form({ token: API_TOKEN, next: '/reports/sla?month=2026-10&format=html' }),
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/reports/sla?month=2026-10&format=html');
    const setCookie = ok.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^itsm_session=v1\.\d+\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/,
    );
    expect(setCookie).not.toContain(API_TOKEN);
    expect(setCookie).not.toContain('Secure');
    const cookie = setCookie.split(';')[0] ?? '';

    const page = await get('/reports/sla?month=2026-10&format=html', { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('SLA report 2026-10');

    // A changed signature, or the same cookie after it expired, is refused.
    expect(
      (await get('/reports/sla?month=2026-10&format=json', { cookie: `${cookie.slice(0, -2)}xx` })).status,
    ).toBe(401);
    clock.advance(8 * 3600 + 1);
    expect((await get('/reports/sla?month=2026-10&format=json', { cookie })).status).toBe(401);
  });

  it('marks the cookie Secure behind https, ignores a foreign next and ends the session on logout', async () => {
    const res = await fetch(`${app.url}/login`, {
      ...form({ token: API_TOKEN, next: 'https://evil.example/' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
    });
    expect(res.headers.get('location')).toBe('/reports');
    expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
    const out = await fetch(`${app.url}/logout`, { method: 'POST', redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^itsm_session=; .*Max-Age=0/);
  });

  it.each([
    '/healthz',
    '/login',
    '/api/incidents',
    '/no/such/page',
    '/reports/sla?month=2026-10&format=html',
  ])('sends the security headers on %s', async (path) => {
    const res = await get(path, { authorization: `Bearer ${API_TOKEN}` });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it("allows exactly the page's own inline styles", async () => {
    const res = await get('/reports/sla?month=2026-10&format=html', { authorization: `Bearer ${API_TOKEN}` });
    const html = await res.text();
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(res.headers.get('content-security-policy')).toContain(`style-src 'sha256-${hash}'`);
    expect(res.headers.get('content-security-policy')).not.toContain('script-src');
  });
});
