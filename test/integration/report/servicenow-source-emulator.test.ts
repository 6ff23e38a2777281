import { systemClock } from '../../../integrations/clock/system-clock';
import { createServiceNowLaneDriver } from '../../../integrations/servicenow/servicenow-lane-driver';
import {
  createServiceNowEmulator,
  retryAfterViolations,
  type ServiceNowEmulator,
} from '../../../integrations/sandbox/servicenow/emulator';
import { createServiceNowTicketSource } from '../../../integrations/servicenow/servicenow-ticket-source';
import { createServiceNowTicketSystem } from '../../../integrations/servicenow/servicenow-ticket-system';
import { ServiceNowConfig } from '../../../src/config/servicenow';
import type { TicketHistory } from '../../../src/core/sla/types';
import { IntegrationError } from '../../../src/errors';
import { sandboxServiceNowAuth } from '../../../integrations/sandbox/sandbox-auth';
import { draft, SANDBOX_OAUTH } from '../servicenow/harness';

const OAUTH = ServiceNowConfig.parse({ auth: SANDBOX_OAUTH });
const snDriver = () => createServiceNowLaneDriver({ clock: systemClock, concurrency: 4 });

describe('ServiceNow report source against the emulator (same client as the ticket adapter)', () => {
  let emulator: ServiceNowEmulator;
  let server: { url: string; close(): Promise<void> };
  let resolvedNumber: string;
  beforeEach(async () => {
    emulator = createServiceNowEmulator();
    server = await emulator.listen(0);
    // Two incidents written by the ticket adapter (Basic auth); resolving one leaves sys_audit rows.
    const basic = ServiceNowConfig.parse({});
    const adapter = createServiceNowTicketSystem({
      config: { ...basic, auth: sandboxServiceNowAuth(basic.auth) },
      baseUrl: server.url,
      transport: snDriver(),
    });
    const a = await adapter.create(draft({ incidentKey: 'report-source-1' }));
    await adapter.create(draft({ incidentKey: 'report-source-2' }));
    await adapter.resolve(a, { code: 'Solved (Permanently)', notes: 'restarted' });
    resolvedNumber = a.key;
  });
  afterEach(() => server.close());

  const read = async (config = OAUTH) => {
    const source = createServiceNowTicketSource({
      config,
      baseUrl: server.url,
      transport: snDriver(),
      pageSize: 1,
    });
    const histories: TicketHistory[] = [];
    const window = { from: new Date(0), to: new Date(Date.now() + 60_000) };
    for await (const h of source.tickets(window)) histories.push(h);
    return histories;
  };

  it('reads incidents and their sys_audit history with OAuth credentials (password grant, Bearer token)', async () => {
    const histories = await read();
    expect(histories.map((h) => h.number).sort()).toEqual(['INC0010001', 'INC0010002']);
    const resolved = histories.find((h) => h.number === resolvedNumber)!;
    expect(resolved.events[0]).toMatchObject({ state: 'New', priority: 2, assignee: 'DMS Infrastructure' });
    expect(resolved.events.at(-1)).toMatchObject({ state: 'Resolved' });
    expect(histories.find((h) => h.number !== resolvedNumber)!.events).toHaveLength(1);
    const calls = emulator.state.callLog;
    expect(calls.filter((c) => c.path === '/oauth_token.do')).toHaveLength(1);
    expect(calls.filter((c) => c.path.endsWith('/sys_audit')).every((c) => c.status === 200)).toBe(true);
  });

  it('renews an expired OAuth token and carries on', async () => {
    const source = createServiceNowTicketSource({
      config: OAUTH,
      baseUrl: server.url,
      transport: snDriver(),
      pageSize: 1,
    });
    const seen: string[] = [];
    for await (const h of source.tickets({ from: new Date(0), to: new Date(Date.now() + 60_000) })) {
      seen.push(h.number);
      emulator.expireTokens();
    }
    expect(seen).toHaveLength(2);
    expect(emulator.state.callLog.filter((c) => c.path === '/oauth_token.do').length).toBeGreaterThan(1);
  });

  it('waits out a 429 Retry-After at the gate and retries the read, sending nothing inside the window', async () => {
    emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 1, path: '/sys_audit' });
    const histories = await read();
    expect(histories).toHaveLength(2);
    const calls = emulator.state.callLog;
    const limited = calls.find((c) => c.status === 429)!;
    expect(limited).toMatchObject({ fault: 'rateLimit', retryAfterSeconds: 1 });
    expect(calls[calls.indexOf(limited) + 1]).toMatchObject({ path: limited.path, status: 200 });
    expect(retryAfterViolations(calls)).toEqual([]);
  });

  it('gives up on a read that stays rate-limited, with the retryable 429', async () => {
    for (let i = 0; i < 3; i++)
      emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 0, path: '/sys_user_group' });
    const err = await read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 0 });
    expect(emulator.state.callLog.filter((c) => c.status === 429)).toHaveLength(3);
  });
});
