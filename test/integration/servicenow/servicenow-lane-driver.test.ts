import { systemClock } from '../../../integrations/clock/system-clock';
import { retryAfterViolations } from '../../../integrations/sandbox/servicenow/emulator';
import { createServiceNowLaneDriver } from '../../../integrations/servicenow/servicenow-lane-driver';
import { createServiceNowTicketSystem } from '../../../integrations/servicenow/servicenow-ticket-system';
import { draft, startServiceNow } from './harness';

describe('ServiceNow lane driver against the emulator', () => {
  let env: Awaited<ReturnType<typeof startServiceNow>>;
  beforeEach(async () => {
    env = await startServiceNow();
  });
  afterEach(() => env.server.close());

  const incidentA = draft({ incidentKey: 'alertmanager:branch=berlin', incidentId: 'inc_a' });
  const incidentB = draft({ incidentKey: 'alertmanager:branch=hamburg', incidentId: 'inc_b' });

  it("holds one command's Retry-After pause for the next command, of another incident", async () => {
    env.emulator.faults.script.push({ kind: 'rateLimit', method: 'POST', retryAfterSeconds: 1 });
    const failed = await env.driver.run(() => env.adapter.create(incidentA)).catch((e: unknown) => e);
    expect(env.driver.classify(failed)).toMatchObject({
      kind: 'retryable',
      retryAfterSeconds: 1,
      throttled: true,
    });
    expect(env.driver.isPaused()).toBe(true);

    // The other incident's create starts at once; its request waits at the gate, not at the remote.
    const started = performance.now();
    const ref = await env.driver.run(() => env.adapter.create(incidentB));
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
    expect(env.driver.isPaused()).toBe(false);

    const log = env.emulator.state.callLog.filter((c) => c.method === 'POST');
    expect(log.map((c) => c.status)).toEqual([429, 201]);
    expect(retryAfterViolations(env.emulator.state.callLog)).toEqual([]);
    expect(env.emulator.state.incidents.map((i) => i.number)).toEqual([ref.key]);
  });

  it('runs a command of several requests in one slot, so a limit of one does not deadlock it', async () => {
    const single = createServiceNowLaneDriver({ clock: systemClock, concurrency: 1 });
    const adapter = createServiceNowTicketSystem({
      config: env.config,
      baseUrl: env.server.url,
      transport: single,
    });
    // Look-ups (group, caller, CI) and the insert: four requests inside the one command.
    const ref = await single.run(() => adapter.create(incidentA));
    expect(env.emulator.state.callLog.map((c) => c.method)).toEqual(['GET', 'GET', 'GET', 'POST']);
    // A lone request outside any command takes the slot of its own.
    await expect(adapter.findByIncidentKey(incidentA.incidentKey, 'dms-app')).resolves.toEqual(ref);
  });
});
