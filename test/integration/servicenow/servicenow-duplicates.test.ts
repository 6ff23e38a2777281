import { reconcileDuplicateTickets } from '../../../src/app/reconcile-duplicate-tickets';
import type { NewAuditEntry } from '../../../src/ports/audit-log';
import type { IncidentRecord } from '../../../src/ports/incidents';
import type { TicketRef } from '../../../src/ports/ticket-system';
import { systemClock } from '../../../integrations/clock/system-clock';
import { silentLogger } from '../../helpers/test-app';
import { basic, draft, startServiceNow } from './harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * ServiceNow queues a transaction behind its semaphores and runs it even after the client stopped
 * waiting. A create queued past the client's timeout is not there yet when the retry looks the key up,
 * so the retry creates a second incident; the first lands afterwards. The store keeps the one whose
 * answer it got; the reconciler cancels the other.
 */
describe('ServiceNow duplicate reconciler', () => {
  let env: Awaited<ReturnType<typeof startServiceNow>>;
  beforeEach(async () => {
    audited = [];
    env = await startServiceNow({ config: { timeoutMs: 300 } });
  });
  afterEach(() => env.server.close());

  const incidentWith = (kept: TicketRef, key = draft().incidentKey) =>
    ({
      id: 7,
      key,
      provider: 'dms-app',
      openedAt: systemClock.now().toISOString(),
      tickets: { servicenow: { sys_id: kept.id, number: kept.key, url: kept.url } },
    }) as Pick<IncidentRecord, 'id' | 'key' | 'provider' | 'openedAt' | 'tickets'> as IncidentRecord;
  let audited: NewAuditEntry[] = [];
  const reconcile = (incident: IncidentRecord) =>
    reconcileDuplicateTickets({
      audit: async (e) => void audited.push(e),
      incidents: { list: async () => [incident] },
      system: env.adapter,
      clock: systemClock,
      logger: silentLogger,
      lookbackSeconds: 3600,
    });

  it('cancels the incident a queued create made after the retry, and keeps the stored one', async () => {
    env.emulator.faults.script.push({ kind: 'queued', method: 'POST', holdMs: 800 });
    const d = draft();
    // The first create times out while ServiceNow still holds it in its queue; the retry's look-up
    // finds nothing and the retry creates the incident the store keeps.
    await expect(env.adapter.create(d)).rejects.toMatchObject({ retryable: true });
    expect(await env.adapter.findByIncidentKey(d.incidentKey, d.provider)).toBeNull();
    const kept = await env.adapter.create(d);
    await sleep(900);
    expect(env.emulator.state.incidents).toHaveLength(2);
    const twin = env.emulator.state.incidents.find((r) => r.sys_id !== kept.id)!;

    const pass = await reconcile(incidentWith(kept));
    expect(pass.closed).toEqual([{ incidentKey: d.incidentKey, duplicate: twin.number, kept: kept.key }]);
    expect(audited).toMatchObject([
      {
        actor: 'job:duplicate-check',
        action: 'ticket.duplicate_closed',
        subject: 'incident:7',
        data: { system: 'servicenow', duplicate: twin.number, kept: kept.key },
      },
    ]);
    expect(twin).toMatchObject({ state: '8', active: 'false', correlation_id: '' });
    const notes = env.emulator.state.journal.filter((j) => j.element_id === twin.sys_id);
    expect(notes.map((j) => [j.element, j.value])).toContainEqual([
      'work_notes',
      expect.stringContaining(`Duplicate of ${kept.key}`),
    ]);
    const ours = env.emulator.state.incidents.find((r) => r.sys_id === kept.id)!;
    expect(ours).toMatchObject({ state: '1', active: 'true', correlation_id: d.incidentKey });
    // The key finds the kept incident, and a second pass writes nothing.
    expect((await env.adapter.findByIncidentKey(d.incidentKey, d.provider))?.key).toBe(kept.key);
    const writes = env.emulator.state.incidents.map((r) => r.sys_mod_count);
    expect((await reconcile(incidentWith(kept))).closed).toEqual([]);
    expect(env.emulator.state.incidents.map((r) => r.sys_mod_count)).toEqual(writes);
    expect(audited).toHaveLength(1);
  });

  it('leaves an earlier, closed incident of the same key alone (a key opened again gets a new one)', async () => {
    const d = draft();
    const old = await env.adapter.create(d);
    const res = await fetch(`${env.server.url}/api/now/table/incident/${old.id}`, {
      method: 'PATCH',
      headers: { Authorization: basic(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ state: '7', close_code: 'Workaround provided', close_notes: 'done' }),
    });
    expect(res.status).toBe(200);
    const current = await env.adapter.create(d);
    expect((await reconcile(incidentWith(current))).closed).toEqual([]);
    expect(env.emulator.state.incidents.map((r) => r.state)).toEqual(['7', '1']);
  });

  it('cannot be widened by a key with "^" in it: such a key is looked up by its hash', async () => {
    const kept = await env.adapter.create(draft());
    const pass = await reconcile(incidentWith(kept, 'ib-x^ORactive=true'));
    // The adapter hashes such a key into the correlation_id: it matches nothing, no twin is seen.
    expect(pass).toMatchObject({ checked: 1, closed: [], failed: 0 });
    expect(env.emulator.state.incidents.map((r) => r.state)).toEqual(['1']);
  });
});
