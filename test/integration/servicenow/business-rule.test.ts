import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { SANDBOX_IDENTITIES } from '../../../integrations/sandbox/sandbox-identities';
import { recordingSink, type RecordingSink } from '../../helpers/recording-sink';
import { SN_AUTH, startTestApp, type TestApp } from '../../helpers/test-app';

const ID = SANDBOX_IDENTITIES.servicenow;
const HUMAN = `Basic ${Buffer.from(`${ID.human.userName}:${ID.human.password}`).toString('base64')}`;
const RULE = readFileSync(join(__dirname, '../../../integrations/servicenow/business-rule.js'), 'utf8');
type Row = Record<string, string>;

/**
 * The shipped business rule, run on the Glide APIs it calls (a minimal stand-in for each, over the
 * emulator's rows), and its request sent to the real bridge: what the rule posts is what the bridge
 * accepts.
 */
function runRule(incident: Row, journal: Row[], state: { groups: Row[]; users: Row[] }, secret: string) {
  const requests: { url: string; headers: Record<string, string>; body: string }[] = [];
  const warnings: string[] = [];
  class GlideDateTime {
    ms: number;
    constructor(v: string) {
      this.ms = Date.parse(`${v.replace(' ', 'T')}Z`);
    }
    addSeconds(s: number) {
      this.ms += s * 1000;
    }
    toString() {
      return new Date(this.ms).toISOString().slice(0, 19).replace('T', ' ');
    }
  }
  class GlideRecord {
    conditions: ((r: Row) => boolean)[] = [];
    rows: Row[] = [];
    limit = Infinity;
    order = '';
    at = -1;
    constructor(readonly table: string) {}
    addQuery(field: string, op: string, value?: unknown) {
      const [o, v] = value === undefined ? ['=', op] : [op, value];
      const want = String(v);
      this.conditions.push((r) => {
        const have = r[field] ?? '';
        if (o === 'IN') return want.split(',').includes(have);
        if (o === '>=') return have >= want;
        return have === want;
      });
    }
    orderBy(f: string) {
      this.order = f;
    }
    setLimit(n: number) {
      this.limit = n;
    }
    query() {
      if (this.table !== 'sys_journal_field') throw new Error(`no table ${this.table}`);
      this.rows = journal
        .filter((r) => this.conditions.every((c) => c(r)))
        .sort((a, b) => ((a[this.order] ?? '') < (b[this.order] ?? '') ? -1 : 1))
        .slice(0, this.limit);
    }
    next() {
      return ++this.at < this.rows.length;
    }
    getValue(f: string) {
      return this.rows[this.at]?.[f] ?? null;
    }
    getUniqueValue() {
      return this.rows[this.at]?.sys_id ?? null;
    }
  }
  const display = (rows: Row[], id: string | undefined) => ({
    getDisplayValue: () => rows.find((r) => r.sys_id === id)?.name ?? '',
  });
  const current = {
    number: incident.number,
    getValue: (f: string) => (incident[f] === undefined || incident[f] === '' ? null : incident[f]),
    getUniqueValue: () => incident.sys_id,
    assignment_group: display(state.groups, incident.assignment_group),
    assigned_to: display(state.users, incident.assigned_to),
  };
  const props: Record<string, string> = {
    'itsm_bridge.push_url': 'https://bridge.example/webhooks/servicenow',
    'itsm_bridge.push_secret': secret,
  };
  runInNewContext(RULE, {
    current,
    gs: { getProperty: (k: string) => props[k], warn: (m: string) => warnings.push(m) },
    GlideRecord,
    GlideDateTime,
    GlideStringUtil: { base64Encode: (s: string) => Buffer.from(s, 'utf8').toString('base64') },
    GlideCertificateEncryption: class {
      generateMac(key: string, alg: string, data: string) {
        if (alg !== 'HmacSHA256') throw new Error(alg);
        return createHmac('sha256', Buffer.from(key, 'base64')).update(data, 'utf8').digest('base64');
      }
    },
    sn_ws: {
      RESTMessageV2: class {
        req = { url: '', headers: {} as Record<string, string>, body: '' };
        setEndpoint(u: string) {
          this.req.url = u;
        }
        setHttpMethod() {}
        setHttpTimeout() {}
        setRequestHeader(k: string, v: string) {
          this.req.headers[k] = v;
        }
        setRequestBody(b: string) {
          this.req.body = b;
        }
        execute() {
          requests.push(this.req);
          return { getStatusCode: () => 200 };
        }
      },
    },
    JSON,
    String,
  });
  return { requests, warnings };
}

describe('integrations/servicenow/business-rule.js', () => {
  let app: TestApp;
  let sink: RecordingSink | null = null;

  beforeEach(async () => {
    app = await startTestApp({
      yaml: 'tickets: { systems: [servicenow] }\nservicenow: { sync: { poll: false } }\n',
      remoteChangeSink: (changes) => sink!.sink(changes),
    });
    sink = recordingSink(join(app.dir, 'sink.sqlite'));
    // Only the rule's own request is sent in this test.
    app.sandboxes.servicenow!.push = null;
  });
  afterEach(async () => {
    await app.close();
    sink?.close();
  });

  const sn = (method: string, path: string, body: object, auth = SN_AUTH) =>
    fetch(`${app.url}${ID.path}${path}`, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ((await r.json()) as { result: Row }).result);

  it('posts a body the bridge accepts, signed so that it verifies, with the update’s journal entries', async () => {
    const emu = app.sandboxes.servicenow!;
    const group = emu.state.groups[0]!;
    const inc = await sn('POST', '/api/now/table/incident', {
      short_description: 'x',
      correlation_display: 'itsm-bridge',
      assignment_group: group.sys_id,
    });
    await sn(
      'PATCH',
      `/api/now/table/incident/${inc.sys_id}`,
      { state: '3', hold_reason: '1', comments: 'Please call back' },
      HUMAN,
    );
    const row = emu.state.incidents.find((r) => r.sys_id === inc.sys_id)!;
    const { requests, warnings } = runRule(row, emu.state.journal, emu.state, ID.pushSecret);
    expect(warnings).toEqual([]);
    expect(requests).toHaveLength(1);
    const { headers, body } = requests[0]!;
    const res = await fetch(`${app.url}/webhooks/servicenow`, {
      method: 'POST',
      headers: {
        'content-type': headers['Content-Type']!,
        'x-servicenow-signature': headers['X-ServiceNow-Signature']!,
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(sink!.handled()).toEqual([
      expect.objectContaining({
        changeId: `${inc.sys_id}@1`,
        fields: expect.arrayContaining([
          { field: 'state', from: null, to: '3' },
          { field: 'holdReason', from: null, to: '1' },
          { field: 'assignmentGroup', from: null, to: group.name },
        ]),
      }),
      expect.objectContaining({
        comments: [expect.objectContaining({ body: 'Please call back', visibility: 'customer' })],
      }),
    ]);
  });

  it('is refused with the wrong secret', async () => {
    const emu = app.sandboxes.servicenow!;
    const inc = await sn('POST', '/api/now/table/incident', {
      short_description: 'x',
      correlation_display: 'itsm-bridge',
    });
    await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, { comments: 'hi' }, HUMAN);
    const row = emu.state.incidents.find((r) => r.sys_id === inc.sys_id)!;
    const { requests } = runRule(row, emu.state.journal, emu.state, 'another-secret');
    const res = await fetch(`${app.url}/webhooks/servicenow`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-servicenow-signature': requests[0]!.headers['X-ServiceNow-Signature']!,
      },
      body: requests[0]!.body,
    });
    expect(res.status).toBe(401);
    expect(sink!.deliveries()).toBe(0);
  });
});
