import { Secret } from '../../../src/config/secret';
import { ServiceNowConfig } from '../../../src/config/servicenow';
import { IntegrationError } from '../../../src/errors';
import { basic, draft, startServiceNow } from './harness';

describe('ServiceNow adapter against the emulator', () => {
  let env: Awaited<ReturnType<typeof startServiceNow>>;
  beforeEach(async () => {
    env = await startServiceNow({ config: { assignmentGroups: { 'dms-app': 'DMS Application' } } });
  });
  afterEach(() => env.server.close());

  it('creates one incident with impact/urgency, group, caller, CI, correlation and the runbook work note', async () => {
    const ref = await env.adapter.create(draft());
    expect(ref.key).toBe('INC0010001');
    expect(ref.id).toMatch(/^[0-9a-f]{32}$/);
    const [inc] = env.emulator.state.incidents;
    const group = env.emulator.state.groups.find((g) => g.name === 'DMS Application');
    const caller = env.emulator.state.users.find((u) => u.email === 'itsm-bridge@example.com');
    const ci = env.emulator.state.cis.find((c) => c.name === 'dms-app-01');
    expect(inc).toMatchObject({
      impact: '2',
      urgency: '1',
      priority: '2',
      state: '1',
      assignment_group: group?.sys_id,
      caller_id: caller?.sys_id,
      cmdb_ci: ci?.sys_id,
      correlation_id: draft().incidentKey,
      correlation_display: 'itsm-bridge',
      short_description: draft().title,
    });
    expect(inc?.description).toContain('HTTP check failed');
    const notes = env.emulator.state.journal.filter((j) => j.element_id === ref.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ element: 'work_notes', name: 'incident' });
    expect(notes[0]?.value).toContain('[ ] 2. Restart the service');
  });

  it('caches the assignment group and caller look-ups', async () => {
    await env.adapter.create(draft({ incidentKey: 'a' }));
    await env.adapter.create(draft({ incidentKey: 'b' }));
    const lookups = env.emulator.state.callLog.filter((c) => c.path.includes('sys_user_group'));
    expect(lookups).toHaveLength(1);
    expect(env.emulator.state.incidents.map((i) => i.number)).toEqual(['INC0010001', 'INC0010002']);
  });

  it('finds the incident by incident key and returns null for an unknown key', async () => {
    const ref = await env.adapter.create(draft());
    await expect(env.adapter.findByIncidentKey(draft().incidentKey, 'dms-app')).resolves.toEqual(ref);
    await expect(env.adapter.findByIncidentKey('nope', 'dms-app')).resolves.toBeNull();
  });

  it('adds notes, resolves with close code and notes, and reopens to In Progress', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.addNote(ref, '2 more alerts joined');
    await env.adapter.resolve(ref, { code: '', notes: 'All alerts recovered' });
    const inc = () => env.emulator.state.incidents[0];
    expect(inc()).toMatchObject({
      state: '6',
      close_code: 'Solved (Permanently)',
      close_notes: 'All alerts recovered',
    });
    expect(inc()?.resolved_at).not.toBe('');
    await expect(env.adapter.reopen(ref, 'fired again')).resolves.toBe('reopened');
    expect(inc()).toMatchObject({ state: '2', reopen_count: '1', resolved_at: '' });
    const values = env.emulator.state.journal.map((j) => j.value);
    expect(values).toEqual(expect.arrayContaining(['2 more alerts joined', 'fired again']));
  });

  it("answers 'closed' for a Closed (7) incident and does not touch it", async () => {
    const ref = await env.adapter.create(draft());
    const inc = env.emulator.state.incidents[0]!;
    Object.assign(inc, {
      state: '7',
      close_code: 'Solved (Permanently)',
      close_notes: 'done',
      active: 'false',
    });
    const writesBefore = env.emulator.state.callLog.filter((c) => c.method === 'PATCH').length;
    await expect(env.adapter.reopen(ref, 'fired again')).resolves.toBe('closed');
    await expect(env.adapter.resolve(ref, { code: '', notes: 'x' })).resolves.toBeUndefined();
    expect(inc.state).toBe('7');
    expect(env.emulator.state.callLog.filter((c) => c.method === 'PATCH' && c.status === 200).length).toBe(
      writesBefore,
    );
  });

  it('links to the Jira issue once, however often it is asked', async () => {
    const ref = await env.adapter.create(draft());
    const jira = { system: 'jira' as const, key: 'OPS-1', url: 'http://jira.example/browse/OPS-1' };
    await env.adapter.linkTo(ref, jira);
    await env.adapter.linkTo(ref, jira);
    await env.adapter.linkTo(ref, { ...jira, key: 'OPS-12', url: 'http://jira.example/browse/OPS-12' });
    const links = env.emulator.state.journal.filter((j) => j.value?.includes('Jira issue'));
    expect(links.map((l) => l.value?.split(':')[0])).toEqual(['Jira issue OPS-1', 'Jira issue OPS-12']);
  });

  it('parks a create for an unknown assignment group as a permanent error', async () => {
    const bad = await startServiceNow({ config: { defaultAssignmentGroup: 'No Such Group' } });
    try {
      const err = await bad.adapter.create(draft()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IntegrationError);
      expect(err).toMatchObject({ retryable: false, system: 'servicenow' });
      expect(bad.emulator.state.incidents).toHaveLength(0);
    } finally {
      await bad.server.close();
    }
  });

  it('maps wrong credentials (401) to a permanent error', async () => {
    const bad = await startServiceNow({
      config: { auth: { type: 'basic', username: 'itsm.bridge', password: new Secret('wrong') } },
    });
    try {
      await expect(bad.adapter.findByIncidentKey('k', 'p')).rejects.toMatchObject({
        status: 401,
        retryable: false,
      });
      const res = await fetch(`${bad.server.url}/api/now/table/incident`, {
        headers: { Authorization: basic() },
      });
      expect(res.status).toBe(200);
    } finally {
      await bad.server.close();
    }
  });
});

describe('ServiceNowConfig defaults', () => {
  it('parses {} into a working sandbox setup (basic auth, 4 concurrent)', () => {
    expect(ServiceNowConfig.parse({})).toMatchObject({
      auth: { type: 'basic', username: 'itsm.bridge' },
      concurrency: 4,
    });
    expect(() => ServiceNowConfig.parse({ unknown: 1 })).toThrow();
  });
});
