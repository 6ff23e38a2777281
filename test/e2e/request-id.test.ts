import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonLogger } from '../../integrations/logging/json-logger';
import { requestFields } from '../../src/app/request-context';
import { systemClock } from '../../integrations/clock/system-clock';
import { type TestApp, WEBHOOK_TOKEN, startTestApp } from '../helpers/test-app';

const firing = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'alertmanager', 'firing.json'), 'utf8'),
);

const YAML = `
correlation: { groupWait: 0 }
tickets: { noteInterval: 0, pollInterval: 1 }
slack: { enabled: false }
teams: { enabled: false }
`;

describe('request ids: one per HTTP request, echoed, stored with the commands it causes, in their log lines', () => {
  let app: TestApp;
  const lines: Record<string, unknown>[] = [];
  beforeEach(async () => {
    lines.length = 0;
    const logger = jsonLogger({
      clock: systemClock,
      write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>),
      context: requestFields,
    });
    app = await startTestApp({ yaml: YAML, logger });
  });
  afterEach(() => app.close());

  const deliver = (headers: Record<string, string> = {}) =>
    fetch(`${app.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}`, ...headers },
      body: JSON.stringify(firing),
    });

  it('keeps a sane incoming X-Request-Id and carries it into the outbox commands and their log lines', async () => {
    const res = await deliver({ 'x-request-id': 'am-flush-7f3a' });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe('am-flush-7f3a');
    await app.flush(2);

    const commands = (await app.database.query('SELECT lane, kind, request_id FROM outbox ORDER BY id')) as {
      lane: string;
      kind: string;
      request_id: string | null;
    }[];
    const alerts = await app.database.query('SELECT DISTINCT request_id FROM alerts');
    expect(alerts).toEqual([{ request_id: 'am-flush-7f3a' }]);
    // Every command the delivery caused names it: the creates, and the links the creates caused.
    const creates = commands.filter((c) => c.kind === 'create');
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(commands.filter((c) => c.kind === 'link').length).toBeGreaterThanOrEqual(2);
    expect(new Set(commands.map((c) => c.request_id))).toEqual(new Set(['am-flush-7f3a']));
    const done = lines.filter((l) => l.msg === 'outbox command done');
    expect(done.length).toBe(commands.length);
    expect(new Set(done.map((l) => l.requestId))).toEqual(new Set(['am-flush-7f3a']));
  });

  it.each([
    ['missing', undefined],
    ['too long', 'x'.repeat(129)],
    ['with spaces or quotes', 'a b"c'],
  ])('makes a fresh id when the incoming one is %s', async (_case, given) => {
    const res = await deliver(given === undefined ? {} : { 'x-request-id': given });
    expect(res.status).toBe(202);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(id).not.toBe(given);
  });

  it('answers every route with an id, errors and health included', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/incidents', '/nowhere']) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
