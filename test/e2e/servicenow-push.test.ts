import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { SANDBOX_IDENTITIES } from '../../integrations/sandbox/sandbox-identities';
import { recordingSink, type RecordingSink } from '../helpers/recording-sink';
import { SN_AUTH, startTestApp, type TestApp } from '../helpers/test-app';

const ID = SANDBOX_IDENTITIES.servicenow;
const HUMAN = `Basic ${Buffer.from(`${ID.human.userName}:${ID.human.password}`).toString('base64')}`;

/** The real server in sandbox mode: the emulator pushes like the business rule, the poll is the net. */
describe('POST /webhooks/servicenow (business-rule push)', () => {
  let app: TestApp;
  let sink: RecordingSink;

  beforeEach(async () => {
    const placeholder = { sink: async () => {} };
    // The sink lives next to the app's database; created first so the app can hand to it.
    let real: RecordingSink | null = null;
    app = await startTestApp({
      yaml: 'tickets: { systems: [servicenow] }\nservicenow: { sync: { poll: false } }\n',
      remoteChangeSink: (changes) => (real ?? placeholder).sink(changes),
    });
    real = recordingSink(join(app.dir, 'sink.sqlite'));
    sink = real;
  });
  afterEach(async () => {
    await app.close();
    sink.close();
  });

  const sn = (method: string, path: string, body?: object, auth = SN_AUTH) =>
    fetch(`${app.url}${ID.path}${path}`, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).then(async (r) => ((await r.json()) as { result: Record<string, string> }).result);
  const push = (body: string, signature?: string) =>
    fetch(`${app.url}/webhooks/servicenow`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-servicenow-signature': signature } : {}),
      },
      body,
    });
  const sign = (body: string, secret: string = ID.pushSecret) =>
    `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 250 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(ok()).toBe(true);
  };

  it('a person’s comment in ServiceNow reaches the sink within seconds, pushed by the emulator and signed', async () => {
    const inc = await sn('POST', '/api/now/table/incident', {
      short_description: 'x',
      correlation_display: 'itsm-bridge',
    });
    await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, { comments: 'Any news?' }, HUMAN);
    await until(() => sink.handled().some((c) => c.comments.length > 0));
    const comment = sink.handled().find((c) => c.comments.length > 0)!;
    expect(comment).toMatchObject({
      system: 'servicenow',
      record: inc.sys_id,
      actor: { id: 'service.desk', integration: false },
      comments: [{ body: 'Any news?', visibility: 'customer' }],
    });
    // The update was pushed, the create was not (the rule runs after update).
    await until(() => app.sandboxes.servicenow!.pushes.delivered === 1);
    expect(app.sandboxes.servicenow!.pushes.failed).toBe(0);
  });

  it('answers 401 to a missing or wrong signature and hands nothing on; 400 names the field of a bad payload', async () => {
    const body = JSON.stringify({
      table: 'incident',
      sys_id: 'a'.repeat(32),
      number: 'INC0010001',
      sys_mod_count: '3',
      sys_updated_on: '2026-11-02 08:00:05',
      sys_updated_by: 'service.desk',
      fields: {
        state: '3',
        hold_reason: '4',
        impact: '2',
        urgency: '2',
        priority: '3',
        assignment_group: 'DMS Infrastructure',
        assigned_to: '',
        close_code: '',
        close_notes: '',
      },
      journal: [],
    });
    expect((await push(body)).status).toBe(401);
    expect((await push(body, sign(body, 'wrong-secret'))).status).toBe(401);
    expect((await push(body, 'sha256=not-base64!')).status).toBe(401);
    expect((await push(`${body} `, sign(body))).status).toBe(401); // signed a different body
    const bad = await push('{"table":"incident"', sign('{"table":"incident"'));
    expect(bad.status).toBe(400);
    const wrong = JSON.stringify({ ...JSON.parse(body), sys_mod_count: 'three' });
    const invalid = await push(wrong, sign(wrong));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      error: 'invalid_payload',
      issues: [{ path: 'sys_mod_count' }],
    });
    expect(sink.deliveries()).toBe(0);
    expect(await app.store.servicenowSync.snapshots(`${app.url}${ID.path}`, ['a'.repeat(32)])).toEqual(
      new Map(),
    );
    const ok = await push(body, sign(body));
    expect(ok.status).toBe(200);
    expect(sink.handled().map((c) => c.changeId)).toEqual([`${'a'.repeat(32)}@3`]);
    // The same push again (a retry) hands nothing new on.
    expect((await push(body, sign(body))).status).toBe(200);
    expect(sink.deliveries()).toBe(1);
  });

  it('exposes the poller’s hourly request budget on /metrics', async () => {
    await app.servicenowSync!.poller.pollOnce();
    const text = await (await fetch(`${app.url}/metrics`)).text();
    // One cycle with nothing to read: the incidents page and the attachments page (the sync is on).
    expect(text).toMatch(/^itsm_servicenow_poll_budget_remaining 998$/m);
    expect(text).toMatch(/^itsm_servicenow_poll_paused 0$/m);
  });

  it('answers 503 when the sink cannot commit, and the retry is handled', async () => {
    const body = JSON.stringify({
      table: 'incident',
      sys_id: 'b'.repeat(32),
      number: 'INC0010002',
      sys_mod_count: '0',
      sys_updated_on: '2026-11-02 08:00:05',
      sys_updated_by: 'service.desk',
      fields: {
        state: '1',
        hold_reason: '',
        impact: '2',
        urgency: '2',
        priority: '3',
        assignment_group: '',
        assigned_to: '',
        close_code: '',
        close_notes: '',
      },
      journal: [
        {
          sys_id: 'c'.repeat(32),
          element: 'work_notes',
          value: 'note',
          sys_created_on: '2026-11-02 08:00:05',
          sys_created_by: 'service.desk',
        },
      ],
    });
    sink.failNext(1);
    expect((await push(body, sign(body))).status).toBe(503);
    expect(sink.handled()).toEqual([]);
    expect((await push(body, sign(body))).status).toBe(200);
    expect(sink.handled().map((c) => c.changeId)).toEqual(['c'.repeat(32)]);
  });
});

describe('POST /webhooks/servicenow next to a real ticket system', () => {
  it('refuses the documented sandbox secret, while the in-process emulator still pushes', async () => {
    let sink: RecordingSink | null = null;
    const app = await startTestApp({
      yaml: 'tickets: { systems: [servicenow] }\njira: { baseUrl: "https://acme.atlassian.net" }\nservicenow: { sync: { poll: false } }\n',
      remoteChangeSink: (changes) => sink!.sink(changes),
    });
    sink = recordingSink(join(app.dir, 'sink.sqlite'));
    try {
      const body = '{"table":"incident"}';
      const sig = `sha256=${createHmac('sha256', ID.pushSecret).update(body).digest('base64')}`;
      const res = await fetch(`${app.url}/webhooks/servicenow`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-servicenow-signature': sig },
        body,
      });
      expect(res.status).toBe(401);
      const call = (method: string, path: string, b: object, auth = SN_AUTH) =>
        fetch(`${app.url}${ID.path}${path}`, {
          method,
          headers: { Authorization: auth, 'Content-Type': 'application/json' },
          body: JSON.stringify(b),
        }).then(async (r) => ((await r.json()) as { result: Record<string, string> }).result);
      const inc = await call('POST', '/api/now/table/incident', {
        short_description: 'x',
        correlation_display: 'itsm-bridge',
      });
      await call('PATCH', `/api/now/table/incident/${inc.sys_id}`, { work_notes: 'internal note' }, HUMAN);
      for (let i = 0; i < 250 && !sink.handled().some((c) => c.comments.length > 0); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(sink.handled().flatMap((c) => c.comments.map((x) => x.body))).toEqual(['internal note']);
    } finally {
      await app.close();
      sink.close();
    }
  });
});
