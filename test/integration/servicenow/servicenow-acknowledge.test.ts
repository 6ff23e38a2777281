import { IntegrationError } from '../../../src/errors';
import { basic, draft, startServiceNow } from './harness';

const anna = {
  email: 'anna.schmidt@example.com',
  name: 'Anna Schmidt',
  note: 'Taken by Anna Schmidt (Slack)',
};

describe('ServiceNow acknowledge', () => {
  let env: Awaited<ReturnType<typeof startServiceNow>>;
  beforeEach(async () => {
    env = await startServiceNow({ config: { assignmentGroups: { 'dms-app': 'DMS Application' } } });
  });
  afterEach(() => env.server.close());

  const incident = () => env.emulator.state.incidents[0]!;
  const user = (email: string) => env.emulator.state.users.find((u) => u.email === email)!;
  const workNotes = (id: string) =>
    env.emulator.state.journal
      .filter((j) => j.element_id === id && j.element === 'work_notes')
      .map((j) => j.value);
  const patches = () => env.emulator.state.callLog.filter((c) => c.method === 'PATCH');

  it('moves the incident to In Progress, assigns the user found by e-mail and adds the work note', async () => {
    const ref = await env.adapter.create(draft());
    const before = patches().length;
    await env.adapter.acknowledge(ref, anna);
    expect(incident()).toMatchObject({ state: '2', assigned_to: user(anna.email).sys_id });
    expect(workNotes(ref.id)).toContain('Taken by Anna Schmidt (Slack)');
    expect(patches().length - before).toBe(1); // state, assigned_to and the note in one PATCH
    // assigned_to renders as a reference like caller_id.
    const res = await fetch(
      `${env.server.url}/api/now/table/incident/${ref.id}?sysparm_fields=assigned_to,state`,
      { headers: { Authorization: basic(), Accept: 'application/json' } },
    );
    const { result } = (await res.json()) as { result: Record<string, unknown> };
    expect(result.assigned_to).toEqual({
      link: `${env.server.url}/api/now/table/sys_user/${user(anna.email).sys_id}`,
      value: user(anna.email).sys_id,
    });
  });

  it('is idempotent and caches the user look-up; a second person takes over', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.acknowledge(ref, anna);
    await env.adapter.acknowledge(ref, anna);
    expect(incident()).toMatchObject({ state: '2', assigned_to: user(anna.email).sys_id, reopen_count: '0' });
    const lookups = env.emulator.state.callLog.filter(
      (c) => c.path.endsWith('/sys_user') && c.query.includes('anna.schmidt'),
    );
    expect(lookups).toHaveLength(1);
    await env.adapter.acknowledge(ref, {
      email: 'jonas.weber@example.com',
      name: 'Jonas Weber',
      note: 'mine now',
    });
    expect(incident().assigned_to).toBe(user('jonas.weber@example.com').sys_id);
  });

  it('moves the incident without assigning when nobody has that e-mail, and names them in the note', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.acknowledge(ref, {
      email: 'max.muster@example.com',
      name: 'Max Muster',
      note: 'on it',
    });
    expect(incident()).toMatchObject({ state: '2', assigned_to: '' });
    const note = workNotes(ref.id).find((v) => v?.startsWith('on it'));
    expect(note).toContain('Max Muster <max.muster@example.com>');
  });

  it('does not look anybody up for a person without e-mail', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.acknowledge(ref, { email: null, name: 'Teams user', note: 'ack' });
    expect(incident()).toMatchObject({ state: '2', assigned_to: '' });
    expect(env.emulator.state.callLog.filter((c) => c.path.endsWith('/sys_user')).length).toBe(1); // the caller
    expect(workNotes(ref.id).some((v) => v?.includes('Teams user'))).toBe(true);
  });

  it('leaves a Resolved incident resolved and only adds the work note', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.resolve(ref, { code: '', notes: 'recovered' });
    await env.adapter.acknowledge(ref, anna);
    expect(incident()).toMatchObject({ state: '6', assigned_to: '', reopen_count: '0' });
    expect(workNotes(ref.id)).toContain(anna.note);
  });

  it.each(['7', '8'])('writes nothing to an incident in state %s', async (state) => {
    const ref = await env.adapter.create(draft());
    Object.assign(incident(), {
      state,
      close_code: 'Solved (Permanently)',
      close_notes: 'done',
      active: 'false',
    });
    const before = patches().length;
    await env.adapter.acknowledge(ref, anna);
    expect(patches().length).toBe(before);
    expect(incident().state).toBe(state);
  });

  it('maps failures to IntegrationError like the other operations', async () => {
    const ref = await env.adapter.create(draft());
    env.emulator.faults.script.push({ kind: 'rateLimit', method: 'PATCH', retryAfterSeconds: 4 });
    const err = await env.adapter.acknowledge(ref, anna).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ system: 'servicenow', status: 429, retryable: true, retryAfterSeconds: 4 });
    const missing = { ...ref, id: '0123456789abcdef0123456789abcdef' };
    await expect(env.adapter.acknowledge(missing, anna)).rejects.toMatchObject({
      system: 'servicenow',
      status: 404,
      retryable: false,
    });
  });
});

describe('ServiceNow emulator: assigned_to', () => {
  let env: Awaited<ReturnType<typeof startServiceNow>>;
  beforeEach(async () => {
    env = await startServiceNow();
  });
  afterEach(() => env.server.close());

  const post = async (assigned_to: string) => {
    const res = await fetch(`${env.server.url}/api/now/table/incident?sysparm_exclude_reference_link=true`, {
      method: 'POST',
      headers: { Authorization: basic(), 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ short_description: 'x', assigned_to }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { result: Record<string, string> }).result;
  };

  it('keeps a sys_user sys_id, resolves a display value, and leaves a non-matching value empty', async () => {
    const jonas = env.emulator.state.users.find((u) => u.user_name === 'jonas.weber')!;
    expect(jonas).toMatchObject({ email: 'jonas.weber@example.com', name: 'Jonas Weber' });
    expect((await post(jonas.sys_id!)).assigned_to).toBe(jonas.sys_id);
    expect((await post('Jonas Weber')).assigned_to).toBe(jonas.sys_id);
    expect((await post('0123456789abcdef0123456789abcdef')).assigned_to).toBe('');
    const group = env.emulator.state.groups[0]!;
    expect((await post(group.sys_id!)).assigned_to).toBe(''); // a group is not a sys_user
  });
});
