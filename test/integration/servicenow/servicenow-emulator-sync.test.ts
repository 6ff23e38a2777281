import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOX_IDENTITIES } from '../../../integrations/sandbox/sandbox-identities';
import { basic, startServiceNow } from './harness';

const HUMAN = SANDBOX_IDENTITIES.servicenow.human;

/** What the two-way sync relies on: record versions, journal entries, the human account, the push. */
describe('ServiceNow emulator: what the sync reads', () => {
  let env: Awaited<ReturnType<typeof startServiceNow>>;
  let clock = Date.parse('2026-11-02T08:00:00Z');
  const call = (method: string, path: string, body?: object, auth = basic()) =>
    fetch(`${env.server.url}${path}`, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const asPerson = basic(HUMAN.userName, HUMAN.password);
  const create = async () => {
    const res = await call('POST', '/api/now/table/incident', {
      short_description: 'x',
      correlation_display: 'itsm-bridge',
    });
    return ((await res.json()) as { result: Record<string, string> }).result;
  };
  const patch = async (id: string, body: object, auth = basic()) => {
    const res = await call('PATCH', `/api/now/table/incident/${id}`, body, auth);
    return { status: res.status, row: ((await res.json()) as { result: Record<string, string> }).result };
  };

  beforeEach(async () => {
    clock = Date.parse('2026-11-02T08:00:00Z');
    env = await startServiceNow({ emulator: { now: () => clock } });
  });
  afterEach(() => env.server.close());

  it('keeps sys_updated_on, sys_updated_by and sys_mod_count on every write, and skips an update that changes nothing', async () => {
    const inc = await create();
    expect(inc).toMatchObject({
      sys_mod_count: '0',
      sys_updated_by: 'itsm.bridge',
      sys_updated_on: '2026-11-02 08:00:00',
    });
    clock += 5000;
    const a = await patch(inc.sys_id!, { impact: '1' }, asPerson);
    expect(a.row).toMatchObject({
      sys_mod_count: '1',
      sys_updated_by: 'service.desk',
      sys_updated_on: '2026-11-02 08:00:05',
    });
    clock += 5000;
    const same = await patch(inc.sys_id!, { impact: '1' });
    expect(same.row).toMatchObject({
      sys_mod_count: '1',
      sys_updated_by: 'service.desk',
      sys_updated_on: '2026-11-02 08:00:05',
    });
    const note = await patch(inc.sys_id!, { work_notes: 'checked' });
    expect(note.row).toMatchObject({
      sys_mod_count: '2',
      sys_updated_by: 'itsm.bridge',
      sys_updated_on: '2026-11-02 08:00:10',
    });
  });

  it('adds a sys_journal_field entry per comments / work_notes write, readable by element_id IN, element IN and sys_created_on', async () => {
    const one = await create();
    const two = await create();
    clock += 1000;
    await patch(one.sys_id!, { comments: 'customer says hi', work_notes: 'internal' }, asPerson);
    clock += 1000;
    await patch(two.sys_id!, { work_notes: 'second' });
    await patch(two.sys_id!, { short_description: 'no journal' });
    const q = encodeURIComponent(
      `element_idIN${one.sys_id},${two.sys_id}^elementINwork_notes,comments^sys_created_on>2026-11-02 08:00:00^ORDERBYsys_created_on`,
    );
    const res = await call('GET', `/api/now/table/sys_journal_field?sysparm_query=${q}`);
    const { result } = (await res.json()) as { result: Record<string, string>[] };
    expect(result.map((r) => [r.element_id, r.element, r.value, r.sys_created_by, r.sys_created_on])).toEqual(
      [
        [one.sys_id, 'work_notes', 'internal', 'service.desk', '2026-11-02 08:00:01'],
        [one.sys_id, 'comments', 'customer says hi', 'service.desk', '2026-11-02 08:00:01'],
        [two.sys_id, 'work_notes', 'second', 'itsm.bridge', '2026-11-02 08:00:02'],
      ].sort((x, y) => (x[4]! < y[4]! ? -1 : x[4]! > y[4]! ? 1 : 0)),
    );
    expect(result.every((r) => /^[0-9a-f]{32}$/.test(r.sys_id ?? '') && r.name === 'incident')).toBe(true);
    const later = encodeURIComponent(`element_idIN${one.sys_id}^sys_created_on>2026-11-02 08:00:01`);
    const none = (await (
      await call('GET', `/api/now/table/sys_journal_field?sysparm_query=${later}`)
    ).json()) as {
      result: unknown[];
    };
    expect(none.result).toEqual([]);
  });

  it('refuses the human account with a wrong password', async () => {
    const res = await call('GET', '/api/now/table/incident', undefined, basic(HUMAN.userName, 'wrong'));
    expect(res.status).toBe(401);
  });

  it('has the real state model: On Hold with a reason that leaving clears, Resolved needs close code and notes, Closed and Canceled end it', async () => {
    const inc = await create();
    const held = await patch(inc.sys_id!, { state: '3', hold_reason: '4' }, asPerson);
    expect(held.row).toMatchObject({ state: '3', hold_reason: '4', active: 'true' });
    const back = await patch(inc.sys_id!, { state: '2' }, asPerson);
    expect(back.row).toMatchObject({ state: '2', hold_reason: '' });
    expect((await patch(inc.sys_id!, { state: '6' })).status).toBe(403);
    const resolved = await patch(inc.sys_id!, {
      state: '6',
      close_code: 'Solved (Permanently)',
      close_notes: 'fixed',
    });
    expect(resolved.row).toMatchObject({
      state: '6',
      close_code: 'Solved (Permanently)',
      close_notes: 'fixed',
      active: 'true',
    });
    const closed = await patch(inc.sys_id!, { state: '7' });
    expect(closed.row).toMatchObject({ state: '7', active: 'false' });
    const other = await create();
    expect((await patch(other.sys_id!, { state: '8' }, asPerson)).row).toMatchObject({
      state: '8',
      active: 'false',
    });
  });

  describe('push (as business-rule.js)', () => {
    let receiver: Server;
    const received: { body: string; signature: string | undefined }[] = [];
    beforeEach(async () => {
      received.length = 0;
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({
            body: Buffer.concat(chunks).toString('utf8'),
            signature: req.headers['x-servicenow-signature'] as string,
          });
          res.writeHead(received.length === 1 ? 503 : 200).end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    });
    afterEach(() => new Promise<void>((r) => receiver.close(() => r())));

    it('posts each change of a bridge incident, signed with the shared secret, and retries once after a failure', async () => {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/servicenow`;
      const inc = await create();
      env.emulator.push = { url, secret: 's3cret' };
      await patch(inc.sys_id!, { state: '3', hold_reason: '1', comments: 'waiting for you' }, asPerson);
      await waitFor(() => env.emulator.pushes.delivered === 1);
      expect(received).toHaveLength(2);
      expect(received[0]!.body).toBe(received[1]!.body);
      const body = received[1]!.body;
      const mac = createHmac('sha256', 's3cret').update(body).digest('base64');
      expect(received[1]!.signature).toBe(`sha256=${mac}`);
      const push = JSON.parse(body) as Record<string, unknown>;
      expect(push).toMatchObject({
        table: 'incident',
        sys_id: inc.sys_id,
        sys_mod_count: '1',
        sys_updated_by: 'service.desk',
        fields: { state: '3', hold_reason: '1' },
        journal: [{ element: 'comments', value: 'waiting for you', sys_created_by: 'service.desk' }],
      });
    });
  });
});

async function waitFor(ok: () => boolean, ms = 5000): Promise<void> {
  for (let waited = 0; !ok(); waited += 20) {
    if (waited > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
