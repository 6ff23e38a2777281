import { systemClock } from '../../../integrations/clock/system-clock';
import { sandboxServiceNowAuth } from '../../../integrations/sandbox/sandbox-auth';
import {
  createServiceNowEmulator,
  type ServiceNowEmulator,
} from '../../../integrations/sandbox/servicenow/emulator';
import { createServiceNowLaneDriver } from '../../../integrations/servicenow/servicenow-lane-driver';
import { createServiceNowTicketSource } from '../../../integrations/servicenow/servicenow-ticket-source';
import { createServiceNowTicketSystem } from '../../../integrations/servicenow/servicenow-ticket-system';
import { ServiceNowConfig } from '../../../src/config/servicenow';
import { basic, draft } from '../servicenow/harness';

const parsed = ServiceNowConfig.parse({});
const config = { ...parsed, auth: sandboxServiceNowAuth(parsed.auth) };
const snDriver = () => createServiceNowLaneDriver({ clock: systemClock, concurrency: 4 });

describe('ServiceNow report source: pages cut short by row ACLs (sysparm_limit applies before ACLs)', () => {
  let emulator: ServiceNowEmulator;
  let server: { url: string; close(): Promise<void> };
  beforeEach(async () => {
    emulator = createServiceNowEmulator();
    server = await emulator.listen(0);
    const adapter = createServiceNowTicketSystem({ config, baseUrl: server.url, transport: snDriver() });
    for (let n = 1; n <= 7; n++) await adapter.create(draft({ incidentKey: `acl-${n}` }));
  });
  afterEach(() => server.close());

  /** Hides these incident numbers from the integration user, as a row-level read ACL would. */
  const hide = (...numbers: number[]) => {
    const hidden = new Set(numbers.map((n) => `INC001000${n}`));
    emulator.rules.hiddenRows = (table, user, row) =>
      table === 'incident' && user === 'itsm.bridge' && hidden.has(row.number ?? '');
  };
  const read = async () => {
    const source = createServiceNowTicketSource({
      config,
      baseUrl: server.url,
      transport: snDriver(),
      pageSize: 3,
    });
    const numbers: string[] = [];
    for await (const h of source.tickets({ from: new Date(0), to: new Date(Date.now() + 60_000) }))
      numbers.push(h.number);
    return numbers;
  };

  it('the emulator answers a short page with the full X-Total-Count, as ServiceNow does', async () => {
    hide(2, 3);
    const res = await fetch(`${server.url}/api/now/table/incident?sysparm_limit=3&sysparm_fields=number`, {
      headers: { authorization: basic() },
    });
    expect(((await res.json()) as { result: unknown[] }).result).toEqual([{ number: 'INC0010001' }]);
    expect(res.headers.get('x-total-count')).toBe('7');
    expect(res.headers.get('link')).toContain('rel="next"');
  });

  it('reads past a short first page to the incidents on the next pages', async () => {
    hide(2, 3, 4);
    expect(await read()).toEqual(['INC0010001', 'INC0010005', 'INC0010006', 'INC0010007']);
  });

  it('reads past a page the ACLs emptied entirely', async () => {
    hide(4, 5, 6);
    expect(await read()).toEqual(['INC0010001', 'INC0010002', 'INC0010003', 'INC0010007']);
    const offsets = emulator.state.callLog
      .filter((c) => c.method === 'GET' && c.path === '/api/now/table/incident')
      .map((c) => new URLSearchParams(c.query).get('sysparm_offset'));
    // Pages by the limit up to X-Total-Count (7), the empty middle page included.
    expect(offsets).toEqual(['0', '3', '6']);
  });
});
