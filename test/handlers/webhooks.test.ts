import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startTestApp, WEBHOOK_TOKEN, type TestApp } from '../helpers/test-app';

const FIXTURES = join(__dirname, '..', 'fixtures');
const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(FIXTURES, source, name), 'utf8'));
const alertRows = (app: TestApp) =>
  new BetterSqlite3(app.dbPath, { readonly: true }).prepare('select count(*) n from alerts').get() as {
    n: number;
  };

describe('webhook handlers (real server, real SQLite file)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  describe.each(['alertmanager', 'grafana', 'icinga', 'checkmk', 'generic'])('%s fixtures', (source) => {
    const files = readdirSync(join(FIXTURES, source)).filter((f) => f.endsWith('.json'));
    it.each(files)('accepts %s with 202 and the stored alert ids', async (file) => {
      const body = fixture(source, file);
      const before = alertRows(app).n;
      const res = await app.post(source, body);
      expect(res.status).toBe(202);
      const expected =
        source === 'alertmanager' || source === 'grafana'
          ? body.alerts.length
          : source === 'checkmk' && body.contexts
            ? body.contexts.length
            : 1;
      expect(res.json.accepted).toBe(expected);
      expect(res.json.alerts).toHaveLength(expected);
      expect(alertRows(app).n).toBe(before + expected);
    });
  });

  it('answers 401 without a token and with a wrong one, storing nothing', async () => {
    const before = alertRows(app).n;
    const body = fixture('generic', 'firing.json');
    expect((await app.post('generic', body, { authorization: '' })).status).toBe(401);
    expect((await app.post('generic', body, { authorization: `Bearer ${WEBHOOK_TOKEN}x` })).status).toBe(401);
    expect((await app.post('generic', body, { authorization: `Basic ${WEBHOOK_TOKEN}` })).status).toBe(401);
    expect(alertRows(app).n).toBe(before);
  });

  it('names the offending field in a 400', async () => {
    const body = fixture('alertmanager', 'firing.json');
    body.alerts[3].status = 'burning';
    delete body.alerts[5].fingerprint;
    const res = await app.post('alertmanager', body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_payload');
    const paths = res.json.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['alerts.3.status', 'alerts.5.fingerprint']));
  });

  it.each([
    ['malformed JSON', '{"dedupKey": "x", ', 'invalid_json'],
    [
      'a __proto__ key',
      '{"dedupKey":"x","status":"firing","summary":"s","labels":{"__proto__":{"polluted":"yes"}}}',
      'unsafe_json',
    ],
    ['deep nesting', `${'['.repeat(100)}${']'.repeat(100)}`, 'unsafe_json'],
    ['a wrong type', '{"dedupKey": 5, "status": "firing", "summary": "s"}', 'invalid_payload'],
    ['a JSON array instead of an object', '[1,2,3]', 'invalid_payload'],
  ])('refuses %s with a 400 and stores nothing', async (_what, raw, code) => {
    const before = alertRows(app).n;
    const res = await app.post('generic', raw);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe(code);
    expect(alertRows(app).n).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a wrong content type with 415', async () => {
    const res = await app.post('generic', fixture('generic', 'firing.json'), {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(415);
  });

  it('refuses an unknown source with 404 naming the known ones', async () => {
    const res = await app.post('nagios', {});
    expect(res.status).toBe(404);
    expect(res.json.message).toContain('alertmanager');
  });

  it('accepts an Icinga 2.13 lastStateChange of 0 (problem from the first check) and starts at the notification', async () => {
    // Icinga/icinga2#10217: a host DOWN from its very first check is notified with last_state_change 0.
    const body = { ...fixture('icinga', 'problem-host.json'), host: 'first-check-down', lastStateChange: 0 };
    const res = await app.post('icinga', body);
    expect(res.status).toBe(202);
    const row = new BetterSqlite3(app.dbPath, { readonly: true })
      .prepare('select starts_at from alerts where host = ?')
      .get('first-check-down') as { starts_at: string };
    expect(row.starts_at).toBe(new Date(body.timestamp * 1000).toISOString());
  });

  it('refuses bodies over the limit with 413', async () => {
    const big = { ...fixture('generic', 'firing.json'), details: 'x'.repeat(1024 * 1024) };
    const res = await app.post('generic', big);
    expect(res.status).toBe(413);
  });
});

describe('Grafana HMAC signature', () => {
  const secret = 'grafana-hmac-secret-42';
  const sign = (body: string, ts?: string) =>
    createHmac('sha256', secret)
      .update(ts ? `${ts}:${body}` : body)
      .digest('hex');

  it.each([
    ['without a timestamp header', undefined],
    ['with a timestamp header', 'X-Grafana-Alerting-Signature-Timestamp'],
  ])('accepts a valid signature and refuses a bad or missing one %s', async (_what, tsHeader) => {
    const app = await startTestApp({
      yaml: `sources:\n  grafana:\n    hmac:\n      secret: \${GRAFANA_HMAC_SECRET}\n${tsHeader ? `      timestampHeader: ${tsHeader}\n` : ''}`,
      env: { GRAFANA_HMAC_SECRET: secret },
    });
    try {
      const body = JSON.stringify(fixture('grafana', 'firing.json'));
      const ts = String(Math.floor(Date.now() / 1000));
      const headers = (sig: string, t = ts): Record<string, string> => ({
        'x-grafana-alerting-signature': sig,
        ...(tsHeader ? { [tsHeader]: t } : {}),
      });
      expect((await app.post('grafana', body, headers(sign(body, tsHeader ? ts : undefined)))).status).toBe(
        202,
      );
      expect(
        (await app.post('grafana', body, headers(sign(`${body} `, tsHeader ? ts : undefined)))).status,
      ).toBe(401);
      expect((await app.post('grafana', body, {})).status).toBe(401);
      if (tsHeader) {
        const stale = String(Number(ts) - 3600);
        const res = await app.post('grafana', body, headers(sign(body, stale), stale));
        expect(res.status).toBe(401);
        expect(res.json.message).toContain('timestamp');
      }
    } finally {
      await app.close();
    }
  });
});

describe('when the store cannot take the write', () => {
  it('answers 503 with Retry-After (never a 4xx) and the alert is accepted once the lock is gone', async () => {
    const app = await startTestApp({ env: { SQLITE_BUSY_TIMEOUT_MS: '100' } });
    // Correlation shares the thread in tests; stop it so the lock below is the only one.
    await app.correlation.stop();
    const blocker = new BetterSqlite3(app.dbPath);
    try {
      blocker.prepare('BEGIN IMMEDIATE').run();
      const res = await app.post('generic', fixture('generic', 'firing.json'));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      blocker.prepare('ROLLBACK').run();
      const retry = await app.post('generic', fixture('generic', 'firing.json'));
      expect(retry.status).toBe(202);
    } finally {
      blocker.close();
      await app.close();
    }
  });
});
