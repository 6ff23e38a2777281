import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../../integrations/clock/system-clock';
import { createServiceNowLaneDriver } from '../../../integrations/servicenow/servicenow-lane-driver';
import { createServiceNowTicketSource } from '../../../integrations/servicenow/servicenow-ticket-source';
import { buildSlaReport } from '../../../src/app/build-sla-report';
import { Secret } from '../../../src/config/secret';
import { ServiceNowConfig } from '../../../src/config/servicenow';
import { SlaConfig } from '../../../src/config/sla';
import { IntegrationError } from '../../../src/errors';
import { fixedClock } from './dataset';

// The emulator audits updates as they happen (servicenow-source-emulator.test.ts); this test needs a
// history written by hand, so it serves the Table API shape itself: `result` arrays,
// sysparm_offset/sysparm_limit paging, X-Total-Count.
const GROUPS = [
  { sys_id: 'g1', name: 'DMS Infrastructure' },
  { sys_id: 'g2', name: 'Service Desk' },
];
const inc = (
  sys_id: string,
  number: string,
  opened_at: string,
  state: string,
  priority: string,
  group: string,
  made_sla: string,
) => ({
  sys_id,
  number,
  opened_at,
  state,
  hold_reason: '',
  priority,
  assignment_group: group,
  'location.name': 'Branch Passau',
  'cmdb_ci.name': 'DMS',
  category: 'software',
  made_sla,
});
const INCIDENTS = [
  inc('a1', 'INC0010001', '2026-10-05 08:00:00', '6', '2', 'g2', 'true'),
  inc('a2', 'INC0010002', '2026-10-06 08:00:00', '6', '1', 'g1', 'false'),
  inc('a3', 'INC0010003', '2026-10-30 08:00:00', '1', '3', 'g1', 'true'),
];
const audit = (
  documentkey: string,
  fieldname: string,
  oldvalue: string,
  newvalue: string,
  sys_created_on: string,
) => ({ documentkey, fieldname, oldvalue, newvalue, sys_created_on });
const AUDIT = [
  audit('a1', 'state', '1', '2', '2026-10-05 08:20:00'),
  audit('a1', 'assignment_group', 'g1', 'g2', '2026-10-05 12:00:00'),
  audit('a1', 'state', '2', '3', '2026-10-05 09:00:00'),
  audit('a1', 'hold_reason', '', '1', '2026-10-05 09:00:00'),
  audit('a1', 'state', '3', '2', '2026-10-05 11:00:00'),
  audit('a1', 'hold_reason', '1', '', '2026-10-05 11:00:00'),
  audit('a1', 'state', '2', '6', '2026-10-05 13:00:00'),
  audit('a2', 'state', '1', '6', '2026-10-06 14:00:00'),
];

describe('ServiceNow Table API ticket source', () => {
  let server: http.Server;
  let base: string;
  const calls: URL[] = [];
  let failNext = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      calls.push(url);
      if (req.headers.authorization !== 'Basic aXRzbTpzYW5kYm94') return void res.writeHead(401).end();
      if (failNext > 0) {
        failNext--;
        res.writeHead(503, { 'retry-after': '7', 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ error: { message: 'busy' }, status: 'failure' }));
      }
      const table = url.pathname.replace('/api/now/table/', '');
      const q = url.searchParams.get('sysparm_query') ?? '';
      let rows: Record<string, string>[] =
        table === 'incident' ? INCIDENTS : table === 'sys_user_group' ? GROUPS : [];
      if (table === 'sys_audit') {
        const keys = /documentkeyIN([^^]+)/.exec(q)?.[1]?.split(',') ?? [];
        rows = AUDIT.filter((a) => keys.includes(a.documentkey));
      }
      const offset = Number(url.searchParams.get('sysparm_offset'));
      const limit = Number(url.searchParams.get('sysparm_limit'));
      res.writeHead(200, { 'content-type': 'application/json', 'x-total-count': String(rows.length) });
      res.end(JSON.stringify({ result: rows.slice(offset, offset + limit) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Basic itsm:sandbox, the header the server above expects.
  const config = ServiceNowConfig.parse({
    auth: { type: 'basic', username: 'itsm', password: new Secret('sandbox') },
  });
  const source = () =>
    createServiceNowTicketSource({
      config,
      baseUrl: base,
      transport: createServiceNowLaneDriver({ clock: systemClock, concurrency: config.concurrency }),
      pageSize: 2,
    });

  it('pages incidents of the window, replays sys_audit and names the groups', async () => {
    calls.length = 0;
    const report = await buildSlaReport({
      month: '2026-10',
      config: SlaConfig.parse({}),
      source: source(),
      clock: fixedClock,
    });
    const incidentCalls = calls.filter((c) => c.pathname.endsWith('/incident'));
    expect(incidentCalls.map((c) => c.searchParams.get('sysparm_offset'))).toEqual(['0', '2']);
    expect(incidentCalls[0]?.searchParams.get('sysparm_query')).toBe(
      'opened_at<2026-10-31 23:00:00^resolved_at>=2026-03-31 22:00:00^ORresolved_atISEMPTY^ORDERBYopened_at',
    );
    const res1 = report.records.find((r) => r.number === 'INC0010001' && r.kind === 'resolution');
    // P2 on 24×7: running 08–09, awaiting caller 09–11 (On Hold + hold reason 1), running 11–13.
    expect(res1).toMatchObject({
      priority: 2,
      elapsedBusinessSeconds: 3 * 3600,
      pausedWallSeconds: 2 * 3600,
      breached: false,
      stoppedAt: '2026-10-05T13:00:00.000Z',
    });
    expect(report.records.find((r) => r.number === 'INC0010001' && r.kind === 'response')).toMatchObject({
      elapsedBusinessSeconds: 1200,
      breached: false,
    });
    // P1 resolved after 6 h against a 4 h target, while DMS Infrastructure held it.
    expect(report.breaches.find((b) => b.number === 'INC0010002' && b.kind === 'resolution')).toMatchObject({
      provider: 'DMS Infrastructure',
      breachedAt: '2026-10-06T12:00:00.000Z',
      branch: 'Branch Passau',
    });
    expect(report.providers.find((p) => p.provider === 'Service Desk')?.heldBusinessSeconds).toBe(3600);
    expect(report.providers.find((p) => p.provider === 'DMS Infrastructure')?.heldBusinessSeconds).toBe(
      2 * 3600 + 6 * 3600,
    );
    expect(report.totals).toMatchObject({ resolved: 2, openAtMonthEnd: 1 });
    expect(report.agreement).toMatchObject({ compared: 2, agree: 2 });
  });

  it('throws a retryable IntegrationError with Retry-After on 503', async () => {
    failNext = 1;
    const tickets = source().tickets({ from: new Date('2026-04-01'), to: new Date('2026-11-01') });
    const iterator = tickets[Symbol.asyncIterator]();
    const err = await iterator.next().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ status: 503, retryable: true, retryAfterSeconds: 7 });
  });
});
