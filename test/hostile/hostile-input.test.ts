import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { API_TOKEN, startTestApp, WEBHOOK_TOKEN, type TestApp } from '../helpers/test-app';
import { slackHeaders, slashBody } from '../helpers/slack-requests';
import { SERVICENOW_SYNCED_COLUMNS } from '../../src/ports/servicenow-sync';

/**
 * Hostile input against every inbound route of the running server (real HTTP, real SQLite): oversized,
 * slow, deeply nested, wrongly encoded, duplicate keys, `__proto__`, random bytes, mutated real fixtures,
 * forged and replayed signatures. Counted: inputs tried, crashes (a dropped connection or a server that
 * stops answering), 5xx, state changes (rows in any table) and the longest event-loop stall of the
 * process that runs the server (reported, not asserted: timings belong in bench/). Webhook bodies are
 * mutated field by field in test/handlers/webhooks-property.test.ts; this suite covers the other routes
 * and the transport-level attacks on all of them. HOSTILE_REPORT=<file> writes the figures.
 *
 * Documented state changes: a webhook body with duplicate keys is valid JSON and is accepted (the last
 * value wins, as in the senders' own Go and Python parsers) — counted separately as `acceptedDuplicateKeys`.
 * Documented acceptance: a Slack request stamped in the future but signed with the signing secret passes
 * (Bolt refuses only stale timestamps); making one needs the secret, so it is no replay of a captured one.
 */
const FIXTURES = join(__dirname, '..', 'fixtures');
const fixture = (source: string, name: string) => readFileSync(join(FIXTURES, source, name), 'utf8');
const GRAFANA_SECRET = 'hostile-grafana-hmac-secret';
const JIRA_SECRET = 'hostile-jira-webhook-secret-0123456789';
const PUSH_SECRET = 'hostile-servicenow-push-secret-0123456789';
/** What fetch sends as a body: text or raw bytes. */
type Body = string | Buffer;

interface Route {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
}
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const json = { 'content-type': 'application/json' };
const ROUTES: Route[] = [
  ...['alertmanager', 'grafana', 'icinga', 'checkmk', 'generic'].map((s) => ({
    name: `webhook ${s}`,
    method: 'POST' as const,
    path: `/webhooks/${s}`,
    headers: { ...json, ...bearer(WEBHOOK_TOKEN) },
  })),
  { name: 'slack events', method: 'POST', path: '/slack/events', headers: {} },
  { name: 'teams messages', method: 'POST', path: '/teams/messages', headers: json },
  {
    name: 'hand-off offer',
    method: 'POST',
    path: '/api/incidents/1/handoffs',
    headers: { ...json, ...bearer(API_TOKEN) },
  },
  {
    name: 'hand-off accept',
    method: 'POST',
    path: '/api/handoffs/1/accept',
    headers: { ...json, ...bearer(API_TOKEN) },
  },
  // The sync's webhooks: unsigned here, so every body below is a 401 (signed bodies further down).
  { name: 'jira webhook', method: 'POST', path: '/webhooks/jira', headers: json },
  { name: 'servicenow push', method: 'POST', path: '/webhooks/servicenow', headers: json },
  { name: 'incidents', method: 'GET', path: '/api/incidents', headers: bearer(API_TOKEN) },
  { name: 'reports', method: 'GET', path: '/reports', headers: bearer(API_TOKEN) },
  { name: 'sla report', method: 'GET', path: '/reports/sla', headers: bearer(API_TOKEN) },
];
const TABLES = [
  'alerts',
  'incidents',
  'incident_alerts',
  'timeline',
  'audit_log',
  'outbox',
  'handoffs',
  'chat_seen',
  'sync_processed',
  'sync_echo_ledger',
  'sync_field_versions',
  'servicenow_snapshots',
];

describe('hostile input against every inbound route', () => {
  let app: TestApp;
  let db: BetterSqlite3.Database;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const figures = {
    inputs: 0,
    crashes: [] as string[],
    serverErrors: [] as string[],
    stateChanges: [] as string[],
    acceptedDuplicateKeys: 0,
    longestStallMs: 0,
    worstStalls: [] as { input: string; ms: number }[],
    byStatus: {} as Record<string, number>,
  };
  /** What this test added to the shared figures (they add up over the suite for the report). */
  let mark = { crashes: 0, serverErrors: 0, stateChanges: 0 };
  beforeEach(() => {
    mark = {
      crashes: figures.crashes.length,
      serverErrors: figures.serverErrors.length,
      stateChanges: figures.stateChanges.length,
    };
  });
  const added = () => ({
    crashes: figures.crashes.slice(mark.crashes),
    serverErrors: figures.serverErrors.slice(mark.serverErrors),
    stateChanges: figures.stateChanges.slice(mark.stateChanges),
  });
  const clean = { crashes: [], serverErrors: [], stateChanges: [] };
  const snapshot = () =>
    TABLES.map((t) => (db.prepare(`select count(*) n from ${t}`).get() as { n: number }).n).join(',');

  beforeAll(async () => {
    app = await startTestApp({
      yaml: [
        'providers: [{ name: infra }, { name: app }]',
        'routing: { defaults: { provider: infra, groupBy: [branch] } }',
        `sources: { grafana: { hmac: { secret: "${GRAFANA_SECRET}", timestampHeader: X-Grafana-Alerting-Signature-Timestamp } } }`,
        // Tickets at once, so that the sync's webhooks have a linked pair to refuse changes to; the
        // poll and the timers off, so that nothing but the inputs writes while the suite runs.
        'correlation: { groupWait: 0 }',
        `servicenow: { sync: { poll: false, pushSecret: "${PUSH_SECRET}" } }`,
        `sync: { enabled: true, checkInterval: 0, jira: { webhookSecret: "${JIRA_SECRET}", sweepInterval: 0 } }`,
        '',
      ].join('\n'),
    });
    db = new BetterSqlite3(app.dbPath, { readonly: true });
    // One incident, so hand-off and incident routes have something to refuse changes to.
    await app.post('generic', fixture('generic', 'firing.json'));
    await app.settle();
    await app.flush(3);
    // The emulators' own webhooks and pushes for the bridge's writes, then what they queued.
    await app.sandboxes.jira!.webhooks.idle();
    await new Promise((r) => setTimeout(r, 300));
    await app.flush(2);
    // From here on an accepted change's sync copy stays queued: run, it would write its outcome (and its
    // echo would come back) while a later input is being checked, and count as that input's change.
    await app.outbox.stop();
    loop.enable();
  });

  afterAll(async () => {
    loop.disable();
    figures.longestStallMs = Math.max(figures.longestStallMs, Math.round(loop.max / 1e6));
    const line = JSON.stringify({ ...figures, byStatus: figures.byStatus });
    console.log(`hostile-input figures ${line}`);
    if (process.env.HOSTILE_REPORT)
      writeFileSync(process.env.HOSTILE_REPORT, `${JSON.stringify(figures, null, 2)}\n`);
    db.close();
    await app.close();
  });

  /**
   * Sends one input and checks the invariants: answered (no reset), no 5xx, no row written — unless
   * `mayWrite` says a 202 (or, for the sync's webhooks, a 200) is a documented acceptance.
   */
  async function attempt(
    what: string,
    path: string,
    init: RequestInit,
    mayWrite: boolean | 200 = false,
  ): Promise<number> {
    figures.inputs++;
    const before = snapshot();
    figures.longestStallMs = Math.max(figures.longestStallMs, Math.round(loop.max / 1e6));
    loop.reset();
    let status = 0;
    try {
      const res = await fetch(`${app.url}${path}`, init);
      status = res.status;
      await res.arrayBuffer();
    } catch (err) {
      figures.crashes.push(`${what}: ${(err as Error).message}`);
    }
    figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1;
    // The loop's worst delay while this input was handled (the histogram was reset just before it).
    const stall = Math.round(loop.max / 1e6);
    figures.worstStalls = [...figures.worstStalls, { input: what, ms: stall }]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5);
    if (status >= 500) figures.serverErrors.push(`${what} → ${status}`);
    const accepted = mayWrite === 200 ? status === 200 : mayWrite && status === 202;
    if (!accepted && snapshot() !== before) figures.stateChanges.push(`${what} → ${status}`);
    return status;
  }

  const send = (r: Route, body: Body | undefined, extra: Record<string, string> = {}) => ({
    method: r.method,
    headers: { ...r.headers, ...extra },
    ...(r.method === 'POST' ? { body } : {}),
  });

  it('answers oversized, deeply nested, wrongly encoded and prototype-polluting bodies on every route', async () => {
    const bodies: [string, () => Body, Record<string, string>?][] = [
      ['2 MiB body', () => `{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`],
      ['100,000 levels of nesting', () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      ['nesting of objects', () => `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`],
      ['__proto__ key', () => '{"__proto__":{"polluted":true},"status":"firing"}'],
      ['constructor.prototype', () => '{"constructor":{"prototype":{"polluted":true}}}'],
      [
        'UTF-16 with BOM',
        () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]),
      ],
      ['invalid UTF-8', () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
      [
        'latin-1 charset',
        () => Buffer.from('{"summary":"Störung"}', 'latin1'),
        { 'content-type': 'application/json; charset=iso-8859-1' },
      ],
      ['NUL bytes', () => '{"a":"\u0000\u0000"}\u0000'],
      ['empty body', () => ''],
      ['form body on a JSON route', () => 'a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' }],
    ];
    for (const r of ROUTES)
      for (const [what, body, extra] of bodies)
        await attempt(`${r.name}: ${what}`, r.path, send(r, body(), extra));
    expect(added()).toEqual(clean);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses random bytes, strings and JSON on every route (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(
          fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
          fc.string({ maxLength: 2048 }),
          fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
        ),
        async (r, body) => {
          await attempt(`${r.name}: random`, r.path, send(r, body));
        },
      ),
      { numRuns: 300 },
    );
    expect(added()).toEqual(clean);
  });

  // Finds issue 12 finding 10 (`/api/incidents/%E0%A4%A` → 500, URIError): fixed on the sec-http branch.
  it('answers random paths and query strings under /api and /reports without a 5xx or a change', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
      fc.constantFrom('%E0%A4%A', '%', '%%', '..', '%2e%2e', '%00', '-1', '1e309', '9'.repeat(40), 'NaN'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/api/incidents/',
          '/api/oncall/',
          '/api/handoffs/',
          '/reports/sla?month=',
          '/api/incidents?limit=',
          '/api/incidents?before=',
          '/api/incidents?state=',
        ),
        segment,
        async (prefix, seg) => {
          await attempt(`GET ${prefix}${seg}`, `${prefix}${seg}`, { headers: bearer(API_TOKEN) });
        },
      ),
      { numRuns: 200 },
    );
    expect(added()).toEqual(clean);
  });

  it('accepts duplicate keys in a webhook body as JSON does (last wins) and never a partial write', async () => {
    const body = fixture('generic', 'firing.json').replace(
      '"status": "firing"',
      '"status": "resolved", "status": "firing"',
    );
    const status = await attempt(
      'generic: duplicate keys',
      '/webhooks/generic',
      send(ROUTES[4]!, body),
      true,
    );
    expect(status).toBe(202);
    figures.acceptedDuplicateKeys++;
    expect(added().serverErrors).toEqual([]);
  });

  it('refuses forged, stale and replayed Slack and Grafana signatures without a change', async () => {
    const slack = ROUTES.find((r) => r.name === 'slack events')!;
    const body = slashBody({ text: 'list', user: 'U0GUEST001', channel: 'C0SANDBOX01' });
    const now = Math.floor(Date.now() / 1000);
    const forged: [string, Record<string, string>, string][] = [
      ['wrong secret', slackHeaders(body, { secret: 'not-the-secret' }), body],
      ['stale timestamp (replayed after 10 min)', slackHeaders(body, { timestamp: now - 600 }), body],
      ['signature of another body', slackHeaders(body), body.replace('list', 'ack')],
      ['no signature', { 'content-type': 'application/x-www-form-urlencoded' }, body],
      [
        'v1 scheme',
        {
          ...slackHeaders(body),
          'x-slack-signature': slackHeaders(body)['x-slack-signature'].replace('v0=', 'v1='),
        },
        body,
      ],
    ];
    for (const [what, headers, b] of forged) {
      const status = await attempt(`slack: ${what}`, slack.path, { method: 'POST', headers, body: b });
      expect([what, status]).toEqual([what, 401]);
    }

    const grafana = fixture('grafana', 'firing.json');
    const sign = (ts: number, text: string, secret = GRAFANA_SECRET) =>
      createHmac('sha256', secret).update(`${ts}:${text}`).digest('hex');
    const signed = (ts: number, sig: string) => ({
      ...json,
      ...bearer(WEBHOOK_TOKEN),
      'x-grafana-alerting-signature': sig,
      'x-grafana-alerting-signature-timestamp': String(ts),
    });
    const grafanaForged: [string, Record<string, string>, string][] = [
      ['wrong secret', signed(now, sign(now, grafana, 'nope')), grafana],
      ['replayed after 10 min', signed(now - 600, sign(now - 600, grafana)), grafana],
      ['signature of another body', signed(now, sign(now, grafana)), grafana.replace('firing', 'resolved')],
      ['truncated signature', signed(now, sign(now, grafana).slice(0, 32)), grafana],
      ['timestamp swapped after signing', signed(now - 1, sign(now, grafana)), grafana],
    ];
    for (const [what, headers, b] of grafanaForged) {
      const status = await attempt(`grafana: ${what}`, '/webhooks/grafana', {
        method: 'POST',
        headers,
        body: b,
      });
      expect([what, status]).toEqual([what, 401]);
    }
    // The genuine request is accepted, so the refusals above are about the signature alone.
    expect(
      await attempt(
        'grafana: genuine',
        '/webhooks/grafana',
        { method: 'POST', headers: signed(now, sign(now, grafana)), body: grafana },
        true,
      ),
    ).toBe(202);
    expect(added().stateChanges).toEqual([]);
  });

  // The test knows the secrets: hostile content that IS signed gets past the signature and must still
  // never crash, never 5xx, and change nothing unless it is a valid change (answered 200).
  it('takes signed hostile Jira webhooks and ServiceNow pushes without a 5xx, changing state only for a valid change', async () => {
    const [inc] = (await app.api('/api/incidents')).incidents;
    const detail = await app.api(`/api/incidents/${inc.id}`);
    const key: string = detail.tickets.jira.key;
    const sysId: string = detail.tickets.servicenow.sys_id;
    const jiraSig = (b: Body) => `sha256=${createHmac('sha256', JIRA_SECRET).update(b).digest('hex')}`;
    const snSig = (b: Body) => `sha256=${createHmac('sha256', PUSH_SECRET).update(b).digest('base64')}`;
    let delivery = 0;
    const jira = (what: string, b: Body, extra: Record<string, string> = {}) =>
      attempt(
        `jira signed: ${what}`,
        '/webhooks/jira',
        {
          method: 'POST',
          headers: {
            ...json,
            'x-hub-signature': jiraSig(b),
            'x-atlassian-webhook-identifier': `hostile-${delivery++}`,
            ...extra,
          },
          body: b,
        },
        200,
      );
    const push = (what: string, b: Body, extra: Record<string, string> = {}) =>
      attempt(
        `servicenow signed: ${what}`,
        '/webhooks/servicenow',
        { method: 'POST', headers: { ...json, 'x-servicenow-signature': snSig(b), ...extra }, body: b },
        200,
      );
    const adf = (text: string) => ({
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
    });
    const comment = (over: Record<string, unknown> = {}, issue: unknown = { key, fields: {} }) => ({
      webhookEvent: 'comment_created',
      issue,
      comment: { id: '90001', body: adf('hostile but fine'), created: '2026-11-02T08:30:00.000+0000' },
      ...over,
    });
    const snBody = (over: Record<string, unknown> = {}) => ({
      table: 'incident',
      sys_id: sysId,
      number: 'INC0010001',
      sys_mod_count: '1',
      sys_updated_on: '2026-11-02 08:00:05',
      sys_updated_by: 'service.desk',
      fields: {
        ...Object.fromEntries(SERVICENOW_SYNCED_COLUMNS.map((c) => [c, ''])),
        state: '2',
        priority: '3',
      },
      journal: [],
      ...over,
    });
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const weird = [
      '\u0000',
      '\ud800',
      '\u202e\u2066evil\u2069',
      'e\u0301'.repeat(2000),
      '👩‍👩‍👧‍👦'.repeat(500),
      '\uFEFF',
      '${jndi:ldap://x}',
      '[~accountid:5b10ac8d82e05b22cc7d4ef5] @everyone <script>',
    ];
    const statuses: Record<string, number> = {};
    const note = (s: number) => (statuses[s] = (statuses[s] ?? 0) + 1);

    // Not JSON, deep JSON, prototype keys, wrong types in every field, and each header's hostile forms.
    for (const b of [
      '',
      'null',
      '[]',
      '"x"',
      '1e309',
      deep(5000),
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    ])
      note(await jira(`body ${b.slice(0, 12)}`, b));
    note(await jira('__proto__', JSON.stringify(comment()).replace('{', '{"__proto__":{"polluted":true},')));
    note(
      await jira(
        'constructor',
        JSON.stringify({ ...comment(), constructor: { prototype: { polluted: 1 } } }),
      ),
    );
    const wrongTypes: unknown[] = [
      null,
      1,
      -1,
      1.5,
      true,
      'x',
      [],
      {},
      ['a'],
      { key: {} },
      'A'.repeat(100_000),
    ];
    for (const v of wrongTypes) {
      note(
        await jira(
          `webhookEvent=${JSON.stringify(v).slice(0, 20)}`,
          JSON.stringify(comment({ webhookEvent: v })),
        ),
      );
      note(await jira(`issue=${JSON.stringify(v).slice(0, 20)}`, JSON.stringify(comment({}, v))));
      note(await jira(`issue.key=…`, JSON.stringify(comment({}, { key: v, fields: {} }))));
      note(await jira(`comment=…`, JSON.stringify(comment({ comment: v }))));
      note(
        await jira(
          `comment.id=…`,
          JSON.stringify(comment({ comment: { id: v, body: adf('x'), created: 'x' } })),
        ),
      );
      note(await jira(`comment.body=…`, JSON.stringify(comment({ comment: { id: '90002', body: v } }))));
      note(
        await jira(
          `changelog=…`,
          JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { key, fields: {} }, changelog: v }),
        ),
      );
      note(
        await jira(
          `changelog.items=…`,
          JSON.stringify({
            webhookEvent: 'jira:issue_updated',
            issue: { key, fields: {} },
            changelog: { id: '1', items: [{ field: 'status', fromString: v, toString: v }] },
          }),
        ),
      );
      for (const field of Object.keys(snBody()))
        note(
          await push(`${field}=${JSON.stringify(v).slice(0, 20)}`, JSON.stringify(snBody({ [field]: v }))),
        );
      note(
        await push(`fields.state=…`, JSON.stringify(snBody({ fields: { ...snBody().fields, state: v } }))),
      );
      note(
        await push(
          `journal entry=…`,
          JSON.stringify(
            snBody({
              journal: [{ sys_id: v, element: 'work_notes', value: v, sys_created_on: v, sys_created_by: v }],
            }),
          ),
        ),
      );
    }
    // Keys with ServiceNow's query separators and JQL syntax: a record we do not know, nothing changes.
    for (const k of ['OPS-1^ORDERBYDESC', "OPS-1' OR key != 'x", 'OPS-1 OR project = X', '../../OPS-1'])
      note(await jira(`issue key ${k}`, JSON.stringify(comment({}, { key: k, fields: {} }))));
    note(await push('sys_id with ^', JSON.stringify(snBody({ sys_id: `${'a'.repeat(31)}^` }))));
    note(
      await push(
        'sys_updated_on in another format',
        JSON.stringify(snBody({ sys_updated_on: '02.11.2026 08:00' })),
      ),
    );
    note(await push('sys_mod_count huge', JSON.stringify(snBody({ sys_mod_count: '9'.repeat(400) }))));
    note(await push('101 journal entries', JSON.stringify(snBody({ journal: Array(101).fill({}) }))));
    note(await push('wrong table', JSON.stringify(snBody({ table: 'sys_user' }))));
    note(await push('unknown key', JSON.stringify({ ...snBody(), extra: 1 })));
    // Valid shapes with hostile text: may be taken (200), never more than one change per delivery.
    for (const [i, w] of weird.entries()) {
      note(
        await jira(
          `comment text ${i}`,
          JSON.stringify(
            comment({ comment: { id: `9100${i}`, body: adf(w), created: '2026-11-02T08:30:00.000+0000' } }),
          ),
        ),
      );
      note(
        await jira(
          `comment on an unknown issue ${i}`,
          JSON.stringify(comment({}, { key: `NOPE-${i}`, fields: {} })),
        ),
      );
    }
    // A replayed identifier with another body acts once: the second delivery changes nothing.
    const first = JSON.stringify(
      comment({ comment: { id: '92001', body: adf('first'), created: '2026-11-02T08:30:00.000+0000' } }),
    );
    const again = JSON.stringify(
      comment({ comment: { id: '92002', body: adf('replayed'), created: '2026-11-02T08:30:00.000+0000' } }),
    );
    const replay = (b: string) =>
      attempt(
        'jira signed: replayed identifier',
        '/webhooks/jira',
        {
          method: 'POST',
          headers: {
            ...json,
            'x-hub-signature': jiraSig(b),
            'x-atlassian-webhook-identifier': 'hostile-replay',
          },
          body: b,
        },
        200,
      );
    expect(await replay(first)).toBe(200);
    const before = snapshot();
    expect(await replay(again)).toBe(200);
    expect(snapshot()).toBe(before);
    // Charset, content type and header forms around a valid signature.
    const ok = JSON.stringify(
      comment({ comment: { id: '93001', body: adf('x'), created: '2026-11-02T08:30:00.000+0000' } }),
    );
    note(await jira('text/plain', ok, { 'content-type': 'text/plain' }));
    note(await jira('signature upper case', ok, { 'x-hub-signature': jiraSig(ok).toUpperCase() }));
    note(await jira('identifier too long', ok, { 'x-atlassian-webhook-identifier': 'x'.repeat(201) }));
    note(await jira('identifier with newline-like bytes', ok, { 'x-atlassian-webhook-identifier': 'a\tb' }));
    note(
      await push('hex signature', JSON.stringify(snBody()), {
        'x-servicenow-signature': `sha256=${createHmac('sha256', PUSH_SECRET).update(JSON.stringify(snBody())).digest('hex')}`,
      }),
    );

    expect(added()).toEqual(clean);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(statuses).every((s) => Number(s) < 500)).toBe(true);
    expect(statuses[400]).toBeGreaterThan(50);
  });

  it('refuses signed random JSON on the sync webhooks, or takes it without a 5xx (fast-check)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.oneof(
          fc.jsonValue({ maxDepth: 6 }),
          fc.record({
            webhookEvent: fc.constantFrom('comment_created', 'comment_updated', 'jira:issue_updated', 'x'),
            issue: fc.record({ key: fc.oneof(fc.string(), fc.constantFrom('OPS-1', 'OPS-1^x')) }),
            comment: fc.anything({ maxDepth: 3 }),
            changelog: fc.anything({ maxDepth: 3 }),
          }),
          fc.record({
            table: fc.constantFrom('incident', 'x'),
            sys_id: fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{32}$/)),
            sys_mod_count: fc.oneof(fc.string(), fc.nat().map(String)),
            sys_updated_on: fc.oneof(
              fc.string(),
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            ),
            fields: fc.anything({ maxDepth: 2 }),
            journal: fc.anything({ maxDepth: 3 }),
          }),
        ),
        async (toJira, value) => {
          const b = JSON.stringify(value) ?? 'null';
          const headers: Record<string, string> = toJira
            ? {
                ...json,
                'x-hub-signature': `sha256=${createHmac('sha256', JIRA_SECRET).update(b).digest('hex')}`,
                'x-atlassian-webhook-identifier': `fuzz-${n++}`,
              }
            : {
                ...json,
                'x-servicenow-signature': `sha256=${createHmac('sha256', PUSH_SECRET).update(b).digest('base64')}`,
              };
          await attempt(
            `${toJira ? 'jira' : 'servicenow'} signed: random`,
            toJira ? '/webhooks/jira' : '/webhooks/servicenow',
            { method: 'POST', headers, body: b },
            200,
          );
        },
      ),
      { numRuns: 300 },
    );
    expect(added()).toEqual(clean);
  });

  it('keeps taking alerts while slow clients hold bodies open on every POST route', async () => {
    const { port } = new URL(app.url);
    const sockets = ROUTES.filter((r) => r.method === 'POST').map((r) => {
      figures.inputs++;
      const s = connect(Number(port), '127.0.0.1');
      s.on('error', () => undefined);
      const head = Object.entries(r.headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      s.write(`POST ${r.path} HTTP/1.1\r\nhost: x\r\n${head}content-length: 100000\r\n\r\n{"a":`);
      return s;
    });
    // A byte now and then, like a slowloris client, while a real alert comes in.
    const drip = setInterval(() => sockets.forEach((s) => s.write(' ')), 100);
    const status = await attempt(
      'generic alert during slow bodies',
      '/webhooks/generic',
      send(ROUTES[4]!, fixture('generic', 'resolved.json')),
      true,
    );
    clearInterval(drip);
    sockets.forEach((s) => s.destroy());
    expect(status).toBe(202);
    expect(added().crashes).toEqual([]);
  });
});
